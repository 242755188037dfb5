from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_amount

from .recouvrement_credit_position import RISK_GRADES, STATUSES

# Fields only credit managers may change (salespeople and collectors read them).
CREDIT_MANAGER_FIELDS = frozenset(
    {
        "credit_limit",
        "use_partner_credit_limit",
        "credit_limit_follows_insurer",
        "credit_insurer_id",
        "credit_insurance_policy",
        "credit_insurance_amount",
        "credit_insurance_date_start",
        "credit_insurance_date_end",
        "credit_insurance_decision_date",
        "credit_blocked",
        "credit_block_reason",
    }
)
# Customer fields the credit position reads: changing one refreshes it.
CREDIT_POSITION_FIELDS = CREDIT_MANAGER_FIELDS | {"credit_external_grade", "parent_id", "is_company"}

# Aged-balance buckets: key -> (first, last) day late, None = open-ended. "not_due" is day <= 0.
AGED_BUCKETS = {
    "not_due": (None, 0),
    "days_1_30": (1, 30),
    "days_31_60": (31, 60),
    "days_61_90": (61, 90),
    "days_over_90": (91, None),
}


def _same_setting(value, other):
    """Two values of a credit setting (cache format) mean the same: equal, or both empty."""
    return value == other or (not value and not other)


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_limit = fields.Float(tracking=True)

    # Credit insurance, per company like the credit limit
    credit_insurer_id = fields.Many2one(
        "res.partner", company_dependent=True, tracking=True, ondelete="restrict"
    )
    credit_insurance_policy = fields.Char("Insurance Policy", company_dependent=True, tracking=True)
    credit_insurance_amount = fields.Float(
        "Covered Amount", company_dependent=True, tracking=True, help="In the company's currency."
    )
    credit_insurance_date_start = fields.Date("Cover Start", company_dependent=True, tracking=True)
    credit_insurance_date_end = fields.Date("Cover End", company_dependent=True, tracking=True)
    credit_insurance_decision_date = fields.Date("Insurer's Decision", company_dependent=True, tracking=True)
    credit_limit_follows_insurer = fields.Boolean(
        "Limit Follows the Insurer",
        company_dependent=True,
        tracking=True,
        help="While the cover is valid, the limit in force is the lower of the customer's limit and the "
        "covered amount; once it has expired, the rule 'Credit insurance cover expired' applies.",
    )

    # Manual block, per company
    credit_blocked = fields.Boolean("Blocked by Hand", company_dependent=True, tracking=True)
    credit_block_reason = fields.Char("Block Reason", company_dependent=True, tracking=True)

    # External score (imported with the standard import: no network call)
    credit_external_agency = fields.Char("Rating Agency")
    credit_external_score = fields.Char("External Score")
    credit_external_rating_date = fields.Date("Rating Date")
    credit_external_grade = fields.Selection(
        RISK_GRADES,
        "External Grade",
        help="The agency's score on our A (excellent) … E (critical) scale, for the risk score.",
    )

    # Late-payment penalties
    late_payment_policy_id = fields.Many2one(
        "recouvrement.penalty.policy",
        "Late-Payment Policy",
        company_dependent=True,
        tracking=True,
        help="How this customer's late-payment penalties are computed (consumer, public buyer, foreign "
        "law...). Empty: the payment term's, else the company's.",
    )
    late_payment_policy_warning = fields.Char(
        compute="_compute_late_payment_policy_warning",
        help="Shown when a business policy (with the recovery indemnity) applies to a private person.",
    )
    recouvrement_insolvency = fields.Boolean(
        "In Insolvency Proceedings",
        tracking=True,
        help="Sauvegarde, redressement or liquidation judiciaire opened: no fixed recovery indemnity.",
    )

    credit_position_ids = fields.One2many("recouvrement.credit.position", "partner_id", "Credit Positions")
    credit_position_id = fields.Many2one(
        "recouvrement.credit.position", compute="_compute_credit_position_id", compute_sudo=True
    )
    credit_status = fields.Selection(
        STATUSES,
        compute="_compute_credit_position_id",
        compute_sudo=True,
        search="_search_credit_status",
    )
    credit_is_manager = fields.Boolean(compute="_compute_credit_is_manager")
    dispute_count = fields.Integer(
        "Disputes",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        compute="_compute_collection_counts",
    )
    promise_count = fields.Integer(
        "Promises to Pay",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        compute="_compute_collection_counts",
    )
    payment_plan_count = fields.Integer(
        "Payment Plans",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        compute="_compute_collection_counts",
    )

    # The position's key figures, for the customer form's banner and smart buttons (display only)
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_figures", compute_sudo=True)
    credit_exposure = fields.Monetary(
        "Exposure", currency_field="credit_currency_id", compute="_compute_credit_figures", compute_sudo=True
    )
    credit_amount_overdue = fields.Monetary(
        "Overdue", currency_field="credit_currency_id", compute="_compute_credit_figures", compute_sudo=True
    )
    credit_reasons = fields.Text(compute="_compute_credit_figures", compute_sudo=True)
    credit_summary = fields.Text(
        compute="_compute_credit_summary",
        compute_sudo=True,
        help="Exposure against the limit, overdue, dunning level and what is open on the customer.",
    )

    # Dunning
    dunning_scenario_id = fields.Many2one(
        "recouvrement.dunning.scenario",
        company_dependent=True,
        tracking=True,
        help="Empty: the scenario matching the customer's risk grade, else the company's default.",
    )
    dunning_collector_id = fields.Many2one(
        "res.users",
        "Collector",
        company_dependent=True,
        tracking=True,
        help="Makes the calls and reviews reminders.",
    )
    dunning_communication_ids = fields.One2many(
        "recouvrement.dunning.communication", "partner_id", "Reminders Sent"
    )
    dunning_communication_count = fields.Integer("Reminders", compute="_compute_dunning_communication_count")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("is_company", "parent_id.is_company", "late_payment_policy_id")
    @api.depends_context("company")
    def _compute_late_payment_policy_warning(self):
        """A private person charged as a business: the 40 € indemnity is forbidden for consumers."""
        company = self.env.company
        default = self.env.ref("recouvrement_credit.penalty_policy_fr_b2b", raise_if_not_found=False)
        for partner in self:
            commercial = partner.commercial_partner_id
            policy = (
                commercial.late_payment_policy_id
                or company.late_payment_consumer_policy_id
                or company.late_payment_policy_id
                or default
            )
            if commercial.is_company or not policy or policy.kind == "consumer":
                partner.late_payment_policy_warning = False
                continue
            partner.late_payment_policy_warning = self.env._(
                "This customer is a private person, but the business policy %(policy)s applies: it "
                "charges business penalties and the recovery indemnity, which consumers never owe. Choose "
                "a consumer policy unless this person buys for professional purposes.",
                policy=policy.display_name,
            )

    def _compute_dunning_communication_count(self):
        counts = dict(
            self.env["recouvrement.dunning.communication"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dunning_communication_count = counts.get(partner, 0)

    @api.depends("commercial_partner_id.credit_position_ids")
    @api.depends_context("company")
    def _compute_credit_position_id(self):
        positions = self.env["recouvrement.credit.position"].search(
            [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)]
        )
        by_partner = {position.partner_id: position for position in positions}
        for partner in self:
            position = by_partner.get(partner.commercial_partner_id)
            partner.credit_position_id = position
            partner.credit_status = position.status if position else "ok"

    @api.depends("credit_position_id")
    @api.depends_context("company", "lang")
    def _compute_credit_figures(self):
        for partner in self:
            position = partner.credit_position_id
            partner.credit_currency_id = position.currency_id or self.env.company.currency_id
            partner.credit_exposure = position.exposure
            partner.credit_amount_overdue = position.amount_overdue
            partner.credit_reasons = position.reasons

    @api.depends("credit_position_id")
    @api.depends_context("company", "lang")
    def _compute_credit_summary(self):
        """The banner's facts in plain words: one grouped count per kind of open commitment."""
        commercial = self.commercial_partner_id
        open_counts = {}
        for model, domain in (
            ("recouvrement.dispute", [("state", "=", "open")]),
            ("recouvrement.promise", [("state", "=", "open")]),
            ("recouvrement.payment.plan", [("state", "=", "active")]),
        ):
            groups = self.env[model]._read_group(
                [("partner_id", "in", commercial.ids), ("company_id", "=", self.env.company.id), *domain],
                ["partner_id"],
                ["__count"],
            )
            open_counts[model] = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.credit_summary = partner._get_credit_summary(
                {
                    model: counts.get(partner.commercial_partner_id.id, 0)
                    for model, counts in open_counts.items()
                }
            )

    @api.depends_context("company")
    def _compute_collection_counts(self):
        """Disputes, promises and plans of the commercial entity, one grouped count per model."""
        commercial = self.commercial_partner_id
        counts = {}
        for model, field in (
            ("recouvrement.dispute", "dispute_count"),
            ("recouvrement.promise", "promise_count"),
            ("recouvrement.payment.plan", "payment_plan_count"),
        ):
            groups = self.env[model]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
            counts[field] = {partner.id: count for partner, count in groups}
        for partner in self:
            for field, by_partner in counts.items():
                partner[field] = by_partner.get(partner.commercial_partner_id.id, 0)

    @api.depends_context("uid")
    def _compute_credit_is_manager(self):
        self.credit_is_manager = self.env.user.has_group("recouvrement_credit.group_manager")

    # ------------------------------------------------------------------
    # SEARCH
    # ------------------------------------------------------------------

    def _search_credit_status(self, operator, value):
        """Searched in the positions table with EXISTS subqueries, never by loading partners. A
        customer without a position in the company is OK."""
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = {v or "ok" for v in (value if isinstance(value, (list, tuple, set)) else [value])}
        if operator in ("!=", "not in"):
            values = {status for status, _label in STATUSES} - values
        in_company = [("company_id", "=", self.env.company.id)]
        positions = "commercial_partner_id.credit_position_ids"
        domain = [(positions, "any", [*in_company, ("status", "in", list(values))])]
        if "ok" in values:
            domain = ["|", *domain, (positions, "not any", [*in_company, ("status", "!=", "ok")])]
        return domain

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("credit_limit")
    def _check_credit_limit_positive(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "A credit limit cannot be negative (%(partner)s).", partner=partner.display_name
                    )
                )

    @api.constrains("credit_insurance_amount", "credit_insurance_date_start", "credit_insurance_date_end")
    def _check_credit_insurance(self):
        for partner in self:
            if partner.credit_insurance_amount < 0:
                raise ValidationError(
                    self.env._(
                        "A covered amount cannot be negative (%(partner)s).", partner=partner.display_name
                    )
                )
            start, end = partner.credit_insurance_date_start, partner.credit_insurance_date_end
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "The insurance cover of %(partner)s ends before it starts.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("dunning_scenario_id", "lang")
    def _check_dunning_scenario_language(self):
        for partner in self.filtered("dunning_scenario_id"):
            partner.dunning_scenario_id._check_templates_language(partner.lang)

    def action_open_dunning_communications(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.recouvrement_dunning_communication_action"
        )
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._check_credit_settings_created()
        return partners

    def write(self, vals):
        self._check_credit_manager_fields(vals)
        result = super().write(vals)
        if CREDIT_POSITION_FIELDS & set(vals):
            self.env["recouvrement.credit.position"]._mark_for_refresh(self)
        return result

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _check_credit_manager_fields(self, vals):
        """Only credit managers change credit settings. Writing the value a field already has, or, on
        a contact, its commercial entity's (Odoo's sync of commercial fields), changes nothing."""
        if self._may_set_credit_settings():
            return
        changed = {
            name
            for name in CREDIT_MANAGER_FIELDS & set(vals)
            for partner in self
            if not partner._credit_setting_unchanged(name, vals[name])
        }
        self._raise_credit_manager_only(changed)

    def _check_credit_settings_created(self):
        """Only credit managers create partners with credit settings, whether set in the values, an
        import or a context default: new partners hold the default settings, or on a contact its
        commercial entity's (synced by Odoo)."""
        if self._may_set_credit_settings():
            return
        defaults = {
            name: self._fields[name].convert_to_cache(False, self)
            for name in CREDIT_MANAGER_FIELDS - {"use_partner_credit_limit"}  # computed from the limit
        }
        defaults["credit_limit"] = self._fields["credit_limit"].get_company_dependent_fallback(self)
        changed = {
            name
            for partner in self
            for name, default in defaults.items()
            if not partner._credit_setting_default(name, default)
        }
        self._raise_credit_manager_only(changed)

    def _may_set_credit_settings(self):
        return self.env.su or self.env.user.has_group("recouvrement_credit.group_manager")

    def _credit_setting_unchanged(self, name, value):
        """Whether writing VALUE in NAME leaves this partner's credit settings as they are."""
        self.ensure_one()
        field = self._fields[name]
        value = field.convert_to_cache(value, self)
        current = field.convert_to_cache(self[name], self)
        return _same_setting(value, current) or self._credit_setting_synced(name, value)

    def _credit_setting_default(self, name, default):
        """Whether this new partner's NAME is DEFAULT (cache format), or synced from its company."""
        self.ensure_one()
        value = self._fields[name].convert_to_cache(self[name], self)
        return _same_setting(value, default) or self._credit_setting_synced(name, value)

    def _credit_setting_synced(self, name, value):
        """Whether VALUE (cache format) is the NAME of this contact's commercial entity, as Odoo syncs
        commercial fields (the credit limit) from a company to its contacts."""
        commercial = self.commercial_partner_id
        return commercial != self and _same_setting(
            value, self._fields[name].convert_to_cache(commercial[name], commercial)
        )

    def _raise_credit_manager_only(self, names):
        if not names:
            return
        labels = ", ".join(sorted(self._fields[name].get_description(self.env)["string"] for name in names))
        raise AccessError(
            self.env._(
                "Only credit managers may change a customer's credit settings (%(fields)s).",
                fields=labels,
            )
        )

    def _get_credit_limit_in_force(self, today):
        """The limit the rules use, in this environment's company: 0 means no limit.

        The customer's own limit (or the company default), only when the company uses credit limits,
        capped by the insurer's cover while it is valid when the limit follows the insurer."""
        self.ensure_one()
        company = self.env.company
        limit = self.credit_limit if company.account_use_credit_limit else 0.0
        if self.credit_limit_follows_insurer and self._credit_insurance_valid(today):
            cover = self.credit_insurance_amount
            limit = min(limit, cover) if limit else cover
        return limit

    def _credit_insurance_valid(self, today):
        start, end = self.credit_insurance_date_start, self.credit_insurance_date_end
        return bool(self.credit_insurer_id) and (not start or start <= today) and (not end or today <= end)

    def _get_credit_summary(self, open_counts):
        """The customer's credit facts in one line; OPEN_COUNTS: {model: open records}. Can be inherited."""
        self.ensure_one()
        _ = self.env._
        position = self.credit_position_id
        parts = []
        if position:
            currency = position.currency_id

            def amount(value):
                return format_amount(self.env, value, currency)

            if position.credit_limit:
                parts.append(
                    _(
                        "exposure %(exposure)s for a limit of %(limit)s (%(usage)s %%)",
                        exposure=amount(position.exposure),
                        limit=amount(position.credit_limit),
                        usage=round(position.limit_usage),
                    )
                )
            else:
                parts.append(_("exposure %(exposure)s, no credit limit", exposure=amount(position.exposure)))
            if position.amount_overdue:
                parts.append(
                    _(
                        "%(amount)s overdue, oldest %(days)s days late",
                        amount=amount(position.amount_overdue),
                        days=position.oldest_overdue_days,
                    )
                )
            if position.dunning_level:
                parts.append(_("dunning level %(level)s", level=position.dunning_level))
            if position.has_legal_case:
                parts.append(_("legal case open"))
        if open_counts.get("recouvrement.dispute"):
            parts.append(_("open disputes: %(count)s", count=open_counts["recouvrement.dispute"]))
        if open_counts.get("recouvrement.promise"):
            parts.append(_("open promises to pay: %(count)s", count=open_counts["recouvrement.promise"]))
        if open_counts.get("recouvrement.payment.plan"):
            parts.append(_("active payment plans: %(count)s", count=open_counts["recouvrement.payment.plan"]))
        return " · ".join(parts) or False

    def _get_statement_lines(self, date):
        """The customer's open receivable items in the current company, oldest first: invoices,
        credit notes and unapplied payments (negative). Returns a list of dicts: ``line`` (the
        account.move.line), ``days_late`` (0 when not due, or for credits) and ``balance`` (the
        running balance of the residual amounts, in the company currency)."""
        self.ensure_one()
        lines = self.env["account.move.line"].search(
            self._get_statement_domain(), order="date, date_maturity, move_name, id"
        )
        balance = 0.0
        result = []
        for line in lines:
            balance += line.amount_residual
            due = line.date_maturity or line.date
            late = (date - due).days if line.amount_residual > 0 else 0
            result.append({"line": line, "days_late": max(late, 0), "balance": balance})
        return result

    def _get_aged_balance(self, date):
        """The customer's open receivable items in the current company, aged on DATE by due date
        (the accounting date when there is none), in the company currency.

        One SQL aggregate. Returns a dict: ``not_due``, ``days_1_30``, ``days_31_60``,
        ``days_61_90``, ``days_over_90`` and ``total``. Credits (credit notes, unapplied payments)
        count negatively in the bucket of their own date, as in Odoo's aged receivable report."""
        self.ensure_one()
        self.env["account.move.line"].flush_model(
            ["partner_id", "company_id", "account_id", "parent_state", "amount_residual", "reconciled",
             "date", "date_maturity"]
        )  # fmt: skip
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.account"].flush_model(["account_type"])
        days_late = SQL("(%s::date - COALESCE(aml.date_maturity, aml.date))", date)
        columns = []
        for key, (first, last) in AGED_BUCKETS.items():
            conditions = []
            if first is not None:
                conditions.append(SQL("%s >= %s", days_late, first))
            if last is not None:
                conditions.append(SQL("%s <= %s", days_late, last))
            columns.append(
                SQL(
                    "COALESCE(SUM(aml.amount_residual) FILTER (WHERE %s), 0) AS %s",
                    SQL(" AND ").join(conditions),
                    SQL.identifier(key),
                )
            )
        columns.append(SQL("COALESCE(SUM(aml.amount_residual), 0) AS total"))
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT %s
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE partner.commercial_partner_id = %s
                   AND aml.company_id = %s
                   AND %s
                """,
                SQL(", ").join(columns),
                self.commercial_partner_id.id,
                self.env.company.id,
                self.env["account.move.line"]._get_open_receivable_sql(),
            )
        )
        currency = self.env.company.currency_id
        return {key: currency.round(amount) for key, amount in rows[0].items()}

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_refresh_credit_position(self):
        self.env["recouvrement.credit.position"]._refresh(self, self.env.company)
        return True

    def action_create_late_payment_invoices(self):
        """Invoice the late-payment penalties of these customers' invoices due before today."""
        today = fields.Date.context_today(self)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "in", self.env.companies.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("is_late_payment_invoice", "=", False),
                ("invoice_date_due", "<", today),
            ]
        )
        return invoices.action_create_late_payment_invoices()

    def _get_collection_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_open_credit_position(self):
        """The customer's credit position in the current company."""
        self.ensure_one()
        position = self.commercial_partner_id.credit_position_id
        if not position:
            position = (
                self.env["recouvrement.credit.position"]
                .sudo()  # sudo: positions are written by the system only; this customer's
                ._refresh(self.commercial_partner_id, self.env.company)
            )
            position = position.filtered(lambda p: p.company_id == self.env.company).sudo(False)
        return {
            "type": "ir.actions.act_window",
            "res_model": "recouvrement.credit.position",
            "res_id": position.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_overdue_invoices(self):
        """The customer's unpaid invoices, the collectors' list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.account_move_action_receivable"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        action["context"] = {"search_default_late": 1, "create": False}
        return action

    def action_view_disputes(self):
        return self._get_collection_action("recouvrement_credit.recouvrement_dispute_action")

    def action_view_promises(self):
        return self._get_collection_action("recouvrement_credit.recouvrement_promise_action")

    def action_view_payment_plans(self):
        return self._get_collection_action("recouvrement_credit.recouvrement_payment_plan_action")

    def action_record_promise(self):
        """Record a promise to pay (promesse de règlement) on the customer's open items."""
        self.ensure_one()
        return self.env["recouvrement.promise"]._get_record_action(
            self.commercial_partner_id, self.env.company, self.env["account.move.line"]
        )

    def action_create_payment_plan(self):
        """Create a payment plan (échéancier) on the customer's open items."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "recouvrement_credit.recouvrement_payment_plan_wizard_action"
        )
        action["context"] = {"active_model": "res.partner", "active_id": self.id}
        return action

    def action_print_statement_of_account(self):
        """Print the statement of account of these customers, in the current company."""
        return self.env.ref("recouvrement_credit.action_report_statement_of_account").report_action(self)

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_statement_domain(self):
        """The items of the statement, the same ones ``_get_aged_balance`` sums."""
        return [
            ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
            *self.env["account.move.line"]._get_open_receivable_domain(),
        ]
