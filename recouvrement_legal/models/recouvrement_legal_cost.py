from odoo import api, fields, models
from odoo.exceptions import ValidationError

COST_KINDS = [
    ("court", "Court fees"),
    ("commissaire", "Commissaire de justice fees"),
    ("lawyer", "Lawyer fees"),
    ("agency", "Agency commission"),
    ("other", "Other"),
]
BEARERS = [
    ("debtor", "Recoverable from the debtor (dépens)"),
    ("awarded", "Awarded by a decision (art. 700 CPC)"),
    ("creditor", "Borne by us"),
]


class RecouvrementLegalCost(models.Model):
    """A cost of a case and who bears it. Costs never appear on a reminder: only what a decision
    awards is charged to the customer."""

    _name = "recouvrement.legal.cost"
    _description = "Legal case cost"
    _order = "date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one("recouvrement.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(COST_KINDS, required=True, default="commissaire")
    name = fields.Char("Description")
    amount = fields.Monetary(required=True)
    bearer = fields.Selection(BEARERS, "Borne By", required=True, default="creditor")
    vendor_bill_id = fields.Many2one(
        "account.move",
        check_company=True,
        domain="[('move_type', 'in', ('in_invoice', 'in_receipt'))]",
    )
    partner_id = fields.Many2one("res.partner", "Paid To")

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self:
            if cost.amount < 0:
                raise ValidationError(self.env._("A cost cannot be negative."))
