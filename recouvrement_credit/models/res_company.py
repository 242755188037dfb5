from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .recouvrement_risk_factor import GRADES


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_prepayment_grade = fields.Selection(
        [(grade, grade) for grade in GRADES],
        "Prepayment Required From Grade",
        help="Customers whose risk grade reaches this one must pay in advance (the 'Prepayment required' "
        "rule decides what it blocks). Empty: never.",
    )
    credit_manager_id = fields.Many2one(
        "res.users",
        help="Reviews the orders that blocked customers confirm online. Empty: the first credit manager.",
    )
    payment_term_cap_days = fields.Integer(
        "Payment Term Cap (Days)",
        default=60,
        help="French Commercial Code L441-10: at most 60 days from the invoice date...",
    )
    payment_term_cap_eom_days = fields.Integer(
        "Payment Term Cap (Days, End of Month)",
        default=45,
        help="...or 45 days end of month. A payment term or an invoice beyond both caps gets a warning. "
        "0 disables the check.",
    )

    dunning_promise_grace_days = fields.Integer(
        "Promise Grace Days",
        default=3,
        help="Days after a promised payment date before an unkept promise to pay counts as broken.",
    )
    dunning_plan_grace_days = fields.Integer(
        "Payment Plan Grace Days",
        default=5,
        help="Days after an instalment's date before an unpaid instalment breaks its payment plan.",
    )

    def write(self, vals):
        result = super().write(vals)
        if {"account_use_credit_limit", "credit_prepayment_grade"} & set(vals):
            self.env["recouvrement.credit.position"].sudo()._invalidate_all()
        return result

    def _get_credit_manager(self):
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref("recouvrement_credit.group_manager").id),
                    ("company_ids", "in", self.id),
                    ("share", "=", False),
                    ("id", "!=", self.env.ref("base.user_root").id),
                ],
                order="id",
                limit=1,
            )
        )

    @api.constrains("dunning_promise_grace_days", "dunning_plan_grace_days")
    def _check_dunning_grace_days(self):
        for company in self:
            if company.dunning_promise_grace_days < 0 or company.dunning_plan_grace_days < 0:
                raise ValidationError(self.env._("Grace days cannot be negative."))

    @api.constrains("payment_term_cap_days", "payment_term_cap_eom_days")
    def _check_payment_term_caps(self):
        for company in self:
            if company.payment_term_cap_days < 0 or company.payment_term_cap_eom_days < 0:
                raise ValidationError(self.env._("Payment term caps cannot be negative."))
