from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .recouvrement_credit_position import DOCUMENTS, EFFECTS, RISK_GRADES


class RecouvrementCreditRule(models.Model):
    """One line of the ordered blocking policy: a condition on the customer's credit position and,
    when it holds, its effect on orders, invoices and deliveries.

    To add a condition: add a value to ``condition`` and a method ``_match_<value>(position)``
    returning ``None`` or a reason ``(code, params)``, rendered by
    ``recouvrement.credit.position._format_reason``.
    """

    _name = "recouvrement.credit.rule"
    _inherit = ["recouvrement.credit.policy.mixin"]
    _description = "Credit blocking rule"
    _order = "sequence, id"
    # Conditions that read the exposure, so a document's amount changes them: decisions on a
    # document evaluate these again (recouvrement.credit.position._get_decision).
    _EXPOSURE_CONDITIONS = frozenset({"over_limit"})
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply the rule in every company."
    )
    condition = fields.Selection(
        [
            ("over_limit", "Exposure over the credit limit"),
            ("overdue_days", "An invoice overdue for more than N days"),
            ("overdue_amount", "Overdue amount above a threshold"),
            ("dunning_level", "Dunning level reached"),
            ("legal_case", "Open legal case"),
            ("manual_block", "Manual block"),
            ("risk_grade", "Risk grade at or worse than"),
            ("insurance_expired", "Credit insurance cover expired"),
            ("prepayment", "Prepayment required"),
        ],
        required=True,
    )
    limit_percent = fields.Float(
        "Share of the Limit (%)",
        default=100.0,
        help="The condition holds when the exposure exceeds this share of the credit limit: 100 blocks "
        "at the limit, 110 tolerates 10 % over it, 90 warns before it is reached.",
    )
    days = fields.Integer("Days Overdue", default=30)
    amount = fields.Float("Overdue Amount", help="In the company's currency.")
    dunning_level = fields.Integer(default=4)
    risk_grade = fields.Selection(RISK_GRADES, default="E")
    sale_effect = fields.Selection(EFFECTS, "On Order Confirmation", default="block", required=True)
    invoice_effect = fields.Selection(EFFECTS, "On Invoice Posting", default="none", required=True)
    delivery_effect = fields.Selection(EFFECTS, "On Delivery Validation", default="none", required=True)

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("limit_percent", "days", "amount", "dunning_level")
    def _check_parameters(self):
        for rule in self:
            if not 1 <= rule.limit_percent <= 1000:
                raise ValidationError(
                    self.env._(
                        "The share of the credit limit must be between 1 %% and 1000 %% (rule “%(rule)s”).",
                        rule=rule.name,
                    )
                )
            if rule.days < 0 or rule.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Days and amounts of a credit rule cannot be negative (rule “%(rule)s”).",
                        rule=rule.name,
                    )
                )
            if rule.dunning_level < 1:
                raise ValidationError(
                    self.env._("Dunning levels start at 1 (rule “%(rule)s”).", rule=rule.name)
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_company_rules(self, company):
        return self.search_fetch(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)],
            ["condition", "limit_percent", "days", "amount", "dunning_level", "risk_grade"]
            + [f"{document}_effect" for document in DOCUMENTS],
        )

    def _match(self, partner, facts, today):
        """Return None, or the reason why this rule's condition holds: {"params": {...}}.

        PARTNER is the commercial entity in the position's company, FACTS what
        ``recouvrement.credit.position._prepare_facts`` gathered."""
        self.ensure_one()
        params = getattr(self, f"_match_{self.condition}")(partner, facts, today)
        return None if params is None else {"params": params}

    def _match_over_limit(self, partner, facts, today):
        limit = facts["credit_limit"]
        if limit and facts["exposure"] > limit * self.limit_percent / 100.0:
            return {"exposure": facts["exposure"], "limit": limit}
        return None

    def _match_overdue_days(self, partner, facts, today):
        count, amount = facts["overdue_by_threshold"].get(self.days, (0, 0.0))
        return {"count": count, "days": self.days, "amount": amount} if count else None

    def _match_overdue_amount(self, partner, facts, today):
        if facts["amount_overdue"] > self.amount:
            return {"amount": facts["amount_overdue"], "threshold": self.amount}
        return None

    def _match_dunning_level(self, partner, facts, today):
        return {"level": facts["dunning_level"]} if facts["dunning_level"] >= self.dunning_level else None

    def _match_legal_case(self, partner, facts, today):
        return {} if facts["has_legal_case"] else None

    def _match_manual_block(self, partner, facts, today):
        return {"reason": partner.credit_block_reason or ""} if partner.credit_blocked else None

    def _match_risk_grade(self, partner, facts, today):
        grade = facts["risk_grade"]
        return {"grade": grade} if grade and grade >= self.risk_grade else None

    def _match_insurance_expired(self, partner, facts, today):
        end = partner.credit_insurance_date_end
        if partner.credit_limit_follows_insurer and end and end < today:
            return {"date": fields.Date.to_string(end)}
        return None

    def _match_prepayment(self, partner, facts, today):
        return {} if facts["prepayment_required"] else None
