from odoo import fields, models
from odoo.tools import SQL


class RecouvrementDunningCommunicationLine(models.Model):
    """One receivable item as a reminder chased it: amounts and lateness frozen at that moment."""

    _name = "recouvrement.dunning.communication.line"
    _description = "Reminded item"
    _order = "date_maturity, id"

    communication_id = fields.Many2one(
        "recouvrement.dunning.communication", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="communication_id.company_id", store=True)
    currency_id = fields.Many2one(related="communication_id.currency_id")
    partner_id = fields.Many2one(related="communication_id.partner_id")
    date = fields.Date(related="communication_id.date")
    state = fields.Selection(related="communication_id.state")
    move_line_id = fields.Many2one("account.move.line", "Item", required=True, index=True)
    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True)
    date_maturity = fields.Date("Due Date")
    days_late = fields.Integer(aggregator="max")
    amount_residual = fields.Monetary("Amount Due")
    level_id = fields.Many2one("recouvrement.dunning.level")
    advanced = fields.Boolean(
        help="The item moved to this level with this reminder (not when the customer's credit covered it)."
    )
    previous_level_id = fields.Many2one("recouvrement.dunning.level")
    previous_dunning_date = fields.Date()

    def _restore_previous_level(self):
        """Put items back to the level and date they had before these (cancelled) lines."""
        self.env["account.move.line"].flush_model(["dunning_level_id", "dunning_date"])
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move_line aml
                   SET dunning_level_id = line.previous_level_id,
                       dunning_date = line.previous_dunning_date
                  FROM recouvrement_dunning_communication_line line
                  JOIN recouvrement_dunning_communication comm ON comm.id = line.communication_id
                 WHERE line.id IN %s
                   AND aml.id = line.move_line_id
                   AND aml.dunning_date = comm.date
                """,
                tuple(self.ids) or (0,),
            )
        )
        self.env["account.move.line"].invalidate_model(["dunning_level_id", "dunning_date"])
        self.env["recouvrement.credit.position"]._mark_for_refresh(self.communication_id.partner_id)
