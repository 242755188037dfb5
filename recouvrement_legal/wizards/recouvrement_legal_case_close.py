from odoo import fields, models

from ..models.recouvrement_legal_case import CLOSE_REASONS


class RecouvrementLegalCaseClose(models.TransientModel):
    _name = "recouvrement.legal.case.close"
    _description = "Close legal cases"

    case_ids = fields.Many2many("recouvrement.legal.case", string="Cases", required=True)
    reason = fields.Selection(CLOSE_REASONS)
    note = fields.Text()
    date = fields.Date(default=fields.Date.context_today, required=True)

    def action_close(self):
        self.case_ids._close(self.reason, self.note, self.date)
        return {"type": "ir.actions.act_window_close"}
