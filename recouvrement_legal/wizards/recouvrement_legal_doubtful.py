from odoo import fields, models


class RecouvrementLegalDoubtful(models.TransientModel):
    """Doubtful-debt entries of a case: reclassify (411 → 416), impair (6817 / 491), write off (654 +
    VAT regularisation)."""

    _name = "recouvrement.legal.doubtful"
    _description = "Doubtful-debt entries of a legal case"

    case_id = fields.Many2one("recouvrement.legal.case", required=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    operation = fields.Selection(
        [
            ("reclassify", "Reclassify as doubtful (411 → 416)"),
            ("impair", "Impair (excl. VAT)"),
            ("write_off", "Write off"),
        ],
        required=True,
        default="reclassify",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    rate = fields.Float("Impairment Rate (%)")
    amount = fields.Monetary("Amount to Write Off (incl. VAT)")

    def action_confirm(self):
        case = self.case_id
        if self.operation == "reclassify":
            move = case._reclassify_doubtful(self.date)
        elif self.operation == "impair":
            move = case._set_impairment(self.rate, self.date)
        else:
            move = case._write_off(self.amount, self.date)
        if not move:
            return {"type": "ir.actions.act_window_close"}
        return move._get_records_action()
