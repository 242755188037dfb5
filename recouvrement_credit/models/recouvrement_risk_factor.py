from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .recouvrement_credit_position import RISK_GRADES

GRADES = "".join(grade for grade, _label in RISK_GRADES)


class RecouvrementRiskFactor(models.Model):
    """One line of the internal risk score: a fact about the customer's payment behaviour, the
    values from which it scores B, C, D or E (else A), and its weight.

    The grade is the weighted average of the factors' points (A = 0 … E = 4), rounded. It is
    recomputed with the credit position (daily, and on every refresh). To add a factor: add a value
    to ``factor`` and a method ``_value_<factor>(partner, facts)`` returning a number, or None when
    the factor does not apply to the customer."""

    _name = "recouvrement.risk.factor"
    _inherit = ["recouvrement.credit.policy.mixin"]
    _description = "Risk score factor"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to use it in every company.")
    factor = fields.Selection(
        [
            ("average_days_late", "Average days late (12 months)"),
            ("overdue_share", "Share of the open amount that is overdue (%)"),
            ("dunning_level", "Highest dunning level reached"),
            ("open_disputes", "Open disputes"),
            ("legal_case", "Open legal case (1 = yes)"),
            ("external_grade", "External grade (A = 0 … E = 4)"),
        ],
        required=True,
    )
    weight = fields.Float(default=1.0)
    threshold_b = fields.Float("B From", help="The factor scores B (1 point) from this value.")
    threshold_c = fields.Float("C From")
    threshold_d = fields.Float("D From")
    threshold_e = fields.Float("E From")

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("weight", "threshold_b", "threshold_c", "threshold_d", "threshold_e")
    def _check_thresholds(self):
        for factor in self:
            thresholds = [factor.threshold_b, factor.threshold_c, factor.threshold_d, factor.threshold_e]
            if factor.weight <= 0:
                raise ValidationError(
                    self.env._("A risk factor's weight must be positive (%(name)s).", name=factor.name)
                )
            if thresholds != sorted(thresholds):
                raise ValidationError(
                    self.env._(
                        "The thresholds of a risk factor must grow from B to E (%(name)s).", name=factor.name
                    )
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_company_factors(self, company):
        return self.search(["|", ("company_id", "=", False), ("company_id", "=", company.id)])

    def _grade(self, partner, facts):
        """The grade (A-E) of the customer from these factors, or False when none applies."""
        total = weights = 0.0
        for factor in self:
            value = getattr(factor, f"_value_{factor.factor}")(partner, facts)
            if value is None:
                continue
            thresholds = (factor.threshold_b, factor.threshold_c, factor.threshold_d, factor.threshold_e)
            points = sum(1 for threshold in thresholds if value >= threshold)
            total += factor.weight * points
            weights += factor.weight
        if not weights:
            return False
        return GRADES[min(4, int(total / weights + 0.5))]

    def _value_average_days_late(self, partner, facts):
        return facts["average_days_late"]

    def _value_overdue_share(self, partner, facts):
        open_amount = facts["amount_open_invoices"]
        return 100.0 * facts["amount_overdue"] / open_amount if open_amount > 0 else 0.0

    def _value_dunning_level(self, partner, facts):
        return facts["dunning_level"]

    def _value_open_disputes(self, partner, facts):
        return facts["open_dispute_count"]

    def _value_legal_case(self, partner, facts):
        return 1.0 if facts["has_legal_case"] else 0.0

    def _value_external_grade(self, partner, facts):
        grade = partner.credit_external_grade
        return float(GRADES.index(grade)) if grade else None
