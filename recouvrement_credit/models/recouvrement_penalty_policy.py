import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang

from .recouvrement_legal_rate import semester_label, semester_start

# Contractual B2B rates may not be lower than this multiple of the legal rate (C. com. L441-10 II).
LEGAL_FLOOR_MULTIPLE = 3


class RecouvrementPenaltyPolicy(models.Model):
    """How late-payment penalties are computed: the annual rate, the day count and the fixed
    recovery indemnity.

    The policy of an invoice is the customer's (company-dependent), else the payment term's, else
    the company's. The customer's wins because it carries the debtor's legal status (consumer,
    public buyer), which the law imposes whatever the contract says.

    Kinds:

    - ``fr_b2b``: French default (C. com. L441-10): ECB rate in force on 1 January / 1 July + margin
      (10 points), fixed per semester.
    - ``contractual``: the fixed annual rate of the contract, raised to 3 times the legal rate (other
      cases) of a semester when below it (C. com. L441-10 II), unless ``keep_rate_below_floor`` (then
      a warning). The legal rate only sets this floor: a semester not loaded yet gives a warning.
    - ``consumer``: the legal rate (other cases: the creditor is a business) of each semester, from
      the day after the formal notice (C. civ. 1231-6, 1344-1); never an indemnity or fees.
    - ``fr_public``: French public buyers (CCP R2192-31): ECB rate in force on the first day of the
      semester in which the delay starts + 8 points, frozen for the whole delay.
    - ``eu_directive``: directive 2011/7/EU and its transpositions: ECB rate of each semester +
      margin, optionally rounded up (Belgium: to the next half point).
    """

    _name = "recouvrement.penalty.policy"
    _description = "Late-payment penalty policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to use it in every company.")
    country_id = fields.Many2one("res.country", help="The country whose law this policy follows.")
    kind = fields.Selection(
        [
            ("fr_b2b", "French B2B default (ECB + 10 points per semester)"),
            ("contractual", "Contractual rate"),
            ("consumer", "Consumer (legal rate from the formal notice)"),
            ("fr_public", "French public buyer (ECB + 8 points, frozen)"),
            ("eu_directive", "EU directive (ECB + margin per semester)"),
        ],
        required=True,
        default="fr_b2b",
    )
    ecb_margin = fields.Float(
        "Margin Over the ECB Rate (Points)",
        digits=(16, 2),
        default=10.0,
        help="Added to the ECB main refinancing rate of the semester.",
    )
    rate_rounding = fields.Float(
        "Round Up To (Points)",
        digits=(16, 2),
        help="The rate of each semester is rounded up to a multiple of this step (Belgium: 0.5). 0: none.",
    )
    fixed_rate = fields.Float("Contractual Rate (%)", digits=(16, 2), help="Annual rate.")
    day_count = fields.Selection(
        [("365", "365 days"), ("actual", "Actual/actual (366 in leap years)")],
        required=True,
        default="365",
        help="Divisor of the simple-interest formula: amount × rate × days / divisor.",
    )
    indemnity_amount = fields.Monetary(
        "Fixed Recovery Indemnity",
        currency_field="indemnity_currency_id",
        help="Charged once per late invoice (C. com. L441-10, D441-5: 40 €). Never to consumers nor to "
        "customers in insolvency proceedings.",
    )
    indemnity_currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.ref("base.EUR")
    )
    keep_rate_below_floor = fields.Boolean(
        "Keep a Rate below the Legal Floor",
        help="French law sets 3 times the legal interest rate as the minimum contractual rate (C. com. "
        "L441-10 II): by default a lower contractual rate is raised to it. Tick to compute at the "
        "contractual rate anyway (with a warning).",
    )
    credit_notes_from_due_date = fields.Boolean(
        "Credit Notes Correct from the Due Date",
        default=True,
        help="A credit note that corrects the invoice (its reversal) reduces the interest base from the "
        "due date: the corrected amount was never owed. Untick to reduce it only from the credit "
        "note's date, as a payment.",
    )
    floor_warning = fields.Char(compute="_compute_floor_warning")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("kind", "fixed_rate", "keep_rate_below_floor")
    def _compute_floor_warning(self):
        today = fields.Date.context_today(self)
        for policy in self:
            warnings = []
            if policy.kind == "contractual":
                policy._get_contractual_rate(today, warnings)
            policy.floor_warning = " ".join(warnings) or False

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("kind", "ecb_margin", "fixed_rate", "rate_rounding", "indemnity_amount")
    def _check_policy(self):
        for policy in self:
            if min(policy.ecb_margin, policy.fixed_rate, policy.rate_rounding, policy.indemnity_amount) < 0:
                raise ValidationError(
                    self.env._(
                        "Rates, margins and the indemnity of a penalty policy cannot be negative (%(name)s).",
                        name=policy.name,
                    )
                )
            if policy.kind == "consumer" and policy.indemnity_amount:
                raise ValidationError(
                    self.env._(
                        "A consumer cannot be charged a recovery indemnity (%(name)s): it is reserved to "
                        "businesses (C. com. L441-10).",
                        name=policy.name,
                    )
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_rate(self, day, delay_start, warnings=None):
        """The annual rate (%) for DAY of a delay that started on DELAY_START; what the rate calls
        for (a contractual rate's floor) is appended to WARNINGS. Raises a UserError when the
        semester of DAY has no legal rate loaded (every kind but contractual, for which the legal
        rate is only its floor) or when a rate table is not confirmed that far."""
        self.ensure_one()
        warnings = [] if warnings is None else warnings
        if self.kind == "contractual":
            return self._get_contractual_rate(day, warnings)
        legal = self.env["recouvrement.legal.rate"]._get_semester_rate(day)
        if self.kind == "consumer":
            return legal.rate_other
        ecb_day = semester_start(delay_start if self.kind == "fr_public" else day)
        rate = self.env["recouvrement.ecb.rate"]._get_rate(ecb_day) + self.ecb_margin
        if self.rate_rounding:
            rate = math.ceil(round(rate / self.rate_rounding, 6)) * self.rate_rounding
        return round(rate, 4)

    def _get_contractual_rate(self, day, warnings):
        """The contractual rate, raised to 3 times the legal rate of DAY's semester when below it
        (C. com. L441-10 II) unless the policy keeps it; without that semester's legal rate, the
        contractual rate with a warning."""
        self.ensure_one()
        try:
            legal = self.env["recouvrement.legal.rate"]._get_semester_rate(day)
        except UserError:
            warnings.append(
                self.env._(
                    "The legal interest rate of the %(semester)s is not loaded: the contractual rate "
                    "%(rate)s %% is applied without checking that it reaches 3 times the legal rate "
                    "(C. com. L441-10).",
                    semester=semester_label(self.env, day),
                    rate=formatLang(self.env, self.fixed_rate, digits=2),
                )
            )
            return self.fixed_rate
        floor = round(LEGAL_FLOOR_MULTIPLE * legal.rate_other, 4)
        if self.fixed_rate >= floor - 1e-9:
            return self.fixed_rate
        values = {
            "rate": formatLang(self.env, self.fixed_rate, digits=2),
            "semester": semester_label(self.env, day),
            "floor": formatLang(self.env, floor, digits=2),
        }
        if self.keep_rate_below_floor:
            warnings.append(
                self.env._(
                    "The contractual rate %(rate)s %% is below 3 times the legal interest rate of the "
                    "%(semester)s (%(floor)s %%): French law (C. com. L441-10) does not allow it.",
                    **values,
                )
            )
            return self.fixed_rate
        warnings.append(
            self.env._(
                "The contractual rate %(rate)s %% is below 3 times the legal interest rate of the "
                "%(semester)s: the legal minimum of %(floor)s %% is applied (C. com. L441-10).",
                **values,
            )
        )
        return floor

    @api.model
    def _raise_shipped_contractual_rate(self):
        """Called at each update: the shipped contractual policy still at the 15 % of earlier
        versions (below 3 × 5.07 % in 2024-S1) gets a rate above every installed semester's floor."""
        policy = self.env.ref("recouvrement_credit.penalty_policy_fr_contractual", raise_if_not_found=False)
        if policy and policy.fixed_rate == 15.0:
            policy.fixed_rate = 16.0

    def _has_indemnity(self):
        self.ensure_one()
        return self.kind != "consumer" and bool(self.indemnity_amount)

    def _get_rate_description(self):
        """How the rate is set, in words, for the invoice mention."""
        self.ensure_one()
        if self.kind == "contractual":
            return self.env._("%(rate)s %% per year", rate=formatLang(self.env, self.fixed_rate, digits=2))
        if self.kind == "consumer":
            return self.env._("the legal interest rate")
        return self.env._("the ECB main refinancing rate + %(margin)s points", margin="%g" % self.ecb_margin)
