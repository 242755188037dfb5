from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

from .recouvrement_credit_position import AMOUNT_LANG, DOCUMENTS, EFFECTS, RISK_GRADES


class RecouvrementCreditRule(models.Model):
    """One line of the ordered blocking policy: a condition on the customer's credit position and,
    when it holds, its effect on orders, invoices and deliveries.

    To add a condition: add a value to ``condition``, and next to each other the two methods
    ``_match_<value>(partner, facts, today)``, returning ``None`` or the reason's params (a dict that
    JSON can store), and ``_describe_<value>(params, currency)``, returning those params in plain
    words, in the reader's language.
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
        return self._get_rules_by_company(company)[company.id]

    @api.model
    def _get_rules_by_company(self, companies):
        """{company id: its rules in order (those of every company and its own)}, in one query at
        most. As the system sees them, they come from a cache that every change of a rule clears
        (see ``recouvrement.credit.policy.mixin``): every credit decision reads them."""
        if self.env.su and self.env.context.get("active_test", True):
            return {company.id: self._get_cached_rules(company.id) for company in companies}
        rules = self.search_fetch(self._rule_domain(companies.ids), self._rule_fields())
        return {
            company.id: rules.filtered(
                lambda rule, company=company: rule.company_id.id in (False, company.id)
            )
            for company in companies
        }

    @api.model
    def _rule_domain(self, company_ids):
        return ["|", ("company_id", "=", False), ("company_id", "in", company_ids)]

    @api.model
    def _rule_fields(self):
        """What the decisions read of the rules (``_match_*``, the effects)."""
        return [
            "company_id",
            "condition",
            "limit_percent",
            "days",
            "amount",
            "dunning_level",
            "risk_grade",
        ] + [f"{document}_effect" for document in DOCUMENTS]

    def _get_cached_rules(self, company_id):
        """The company's rules, their fields put in the record cache from the ormcache."""
        ids, values = self._get_rule_definitions(company_id)
        rules = self.browse(ids)
        for name, field_values in values.items():
            self.env.cache.insert_missing(rules, self._fields[name], field_values)
        return rules

    @tools.ormcache("company_id")
    def _get_rule_definitions(self, company_id):
        """(rule ids in order, {field: their values as the record cache holds them})."""
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(self._rule_domain([company_id]), self._rule_fields())
        )
        return tuple(rules.ids), {
            name: tuple(self.env.cache.get(rule, self._fields[name]) for rule in rules)
            for name in self._rule_fields()
        }

    def _match(self, partner, facts, today):
        """Return None, or the reason why this rule's condition holds: {"params": {...}}.

        PARTNER is the commercial entity in the position's company, FACTS what
        ``recouvrement.credit.position._prepare_facts`` gathered."""
        self.ensure_one()
        params = getattr(self, f"_match_{self.condition}")(partner, facts, today)
        return None if params is None else {"params": params}

    @api.model
    def _describe(self, reason, currency):
        """A REASON that ``_match`` returned (stored with the position) in plain words, amounts in
        CURRENCY: the text of its condition's ``_describe_<condition>``."""
        condition = reason.get("condition")
        describe = getattr(self, f"_describe_{condition}", None)
        if describe is None:  # a condition of an addon that is no longer installed
            return reason.get("text") or condition
        return describe(reason.get("params", {}), currency)

    def _format_amount(self, value, currency):
        # the language resolved once by the caller when the context has none (see the position's
        # _get_amount_lang): get_lang would read the user, company and partner records each time
        return format_amount(self.env, value, currency, lang_code=self.env.context.get(AMOUNT_LANG))

    def _match_over_limit(self, partner, facts, today):
        limit = facts["credit_limit"]
        if limit and facts["exposure"] > limit * self.limit_percent / 100.0:
            return {"exposure": facts["exposure"], "limit": limit}
        return None

    def _describe_over_limit(self, params, currency):
        return self.env._(
            "exposure %(exposure)s for a credit limit of %(limit)s",
            exposure=self._format_amount(params["exposure"], currency),
            limit=self._format_amount(params["limit"], currency),
        )

    def _match_overdue_days(self, partner, facts, today):
        count, amount = facts["overdue_by_threshold"].get(self.days, (0, 0.0))
        return {"count": count, "days": self.days, "amount": amount} if count else None

    def _describe_overdue_days(self, params, currency):
        if params["count"] == 1:
            return self.env._(
                "1 invoice overdue by more than %(days)s days (%(amount)s)",
                days=params["days"],
                amount=self._format_amount(params["amount"], currency),
            )
        return self.env._(
            "%(count)s invoices overdue by more than %(days)s days (%(amount)s)",
            count=params["count"],
            days=params["days"],
            amount=self._format_amount(params["amount"], currency),
        )

    def _match_overdue_amount(self, partner, facts, today):
        if facts["amount_overdue"] > self.amount:
            return {"amount": facts["amount_overdue"], "threshold": self.amount}
        return None

    def _describe_overdue_amount(self, params, currency):
        return self.env._(
            "overdue amount %(amount)s above %(threshold)s",
            amount=self._format_amount(params["amount"], currency),
            threshold=self._format_amount(params["threshold"], currency),
        )

    def _match_dunning_level(self, partner, facts, today):
        return {"level": facts["dunning_level"]} if facts["dunning_level"] >= self.dunning_level else None

    def _describe_dunning_level(self, params, currency):
        return self.env._("dunning level %(level)s reached", level=params["level"])

    def _match_legal_case(self, partner, facts, today):
        return {} if facts["has_legal_case"] else None

    def _describe_legal_case(self, params, currency):
        return self.env._("a legal case is open")

    def _match_manual_block(self, partner, facts, today):
        return {"reason": partner.credit_block_reason or ""} if partner.credit_blocked else None

    def _describe_manual_block(self, params, currency):
        return self.env._(
            "blocked by a credit manager: %(reason)s",
            reason=params.get("reason") or self.env._("no reason given"),
        )

    def _match_risk_grade(self, partner, facts, today):
        grade = facts["risk_grade"]
        return {"grade": grade} if grade and grade >= self.risk_grade else None

    def _describe_risk_grade(self, params, currency):
        return self.env._("risk grade %(grade)s", grade=params["grade"])

    def _match_insurance_expired(self, partner, facts, today):
        end = partner.credit_insurance_date_end
        if partner.credit_limit_follows_insurer and end and end < today:
            return {"date": fields.Date.to_string(end)}
        return None

    def _describe_insurance_expired(self, params, currency):
        return self.env._(
            "credit insurance cover expired on %(date)s", date=format_date(self.env, params["date"])
        )

    def _match_prepayment(self, partner, facts, today):
        return {} if facts["prepayment_required"] else None

    def _describe_prepayment(self, params, currency):
        return self.env._("prepayment required")
