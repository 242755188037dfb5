from itertools import pairwise

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .recouvrement_credit_position import RISK_GRADES

# The default mention of earlier versions, an English text stored in every company.
LEGACY_LATE_PAYMENT_MENTION = (
    "Late payment: penalties at the annual rate of {rate} are due from the day after the due date, "
    "without a reminder being needed, plus a fixed indemnity for recovery costs of {indemnity} "
    "(French Commercial Code L441-10 and D441-5). No discount for early payment."
)


class ResCompany(models.Model):
    _inherit = "res.company"

    aged_balance_bucket_days = fields.Char(
        "Aged Balance Buckets",
        default="30,60,90,120",
        required=True,
        help="Last day of each bucket after the due date, in increasing order: 30,60,90,120 gives "
        "not due, 1–30, 31–60, 61–90, 91–120 and over 120 days.",
    )

    credit_prepayment_grade = fields.Selection(
        RISK_GRADES,
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

    dunning_scenario_id = fields.Many2one(
        "recouvrement.dunning.scenario",
        "Default Dunning Scenario",
        default=lambda self: self.env.ref(
            "recouvrement_credit.dunning_scenario_standard", raise_if_not_found=False
        ),
        help="Followed by customers without a scenario of their own or matching their risk grade.",
    )
    dunning_tolerance_amount = fields.Float(
        "Dunning Tolerance",
        default=5.0,
        help="No reminder when a customer's amount due (company currency) is below this amount.",
    )
    dunning_contact_cap = fields.Integer(
        "Reminders per Customer",
        default=2,
        help="At most this many reminders per customer within the window below (0: no limit).",
    )
    dunning_contact_window_days = fields.Integer("Within (Days)", default=7)
    dunning_contact_hour_from = fields.Float(
        "Contact Hours From",
        default=8.0,
        help="SMS and calls (every channel for consumers) wait for these hours.",
    )
    dunning_contact_hour_to = fields.Float("Contact Hours To", default=20.0)
    dunning_quiet_sunday = fields.Boolean("No Contact on Sundays", default=True)
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

    late_payment_policy_id = fields.Many2one(
        "recouvrement.penalty.policy",
        "Late-Payment Policy",
        help="How penalties are computed unless the customer or the payment term says otherwise. "
        "Empty: French B2B default.",
    )
    late_payment_consumer_policy_id = fields.Many2one(
        "recouvrement.penalty.policy",
        "Policy for Private Persons",
        default=lambda self: self.env.ref(
            "recouvrement_credit.penalty_policy_fr_consumer", raise_if_not_found=False
        ),
        help="Customers who are not companies and have no policy of their own follow this one (consumers "
        "owe no recovery indemnity). Empty: the payment term's, else the company's policy.",
    )
    late_payment_journal_id = fields.Many2one(
        "account.journal",
        "Penalty Invoices Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Empty: the default sales journal.",
    )
    late_payment_interest_product_id = fields.Many2one(
        "product.product", "Penalty Interest Product", help="Empty: 'Late-payment penalties'."
    )
    late_payment_indemnity_product_id = fields.Many2one(
        "product.product",
        "Recovery Indemnity Product",
        help="For the fixed recovery indemnity and fees. Empty: 'Fixed recovery indemnity'.",
    )
    late_payment_interest_account_id = fields.Many2one(
        "account.account",
        "Penalty Interest Account",
        help="French chart: 7631 (revenus des créances commerciales). Empty: the product's income "
        "account, else the journal's.",
    )
    late_payment_indemnity_account_id = fields.Many2one(
        "account.account",
        "Recovery Indemnity Account",
        help="French chart: 7088 or 758. Empty: the product's income account, else the journal's.",
    )
    late_payment_mention = fields.Text(
        "Late-Payment Mention",
        translate=True,
        help="Your own text for the mention printed on B2B invoices (C. com. L441-9, L441-10), "
        "translated in each language you invoice in. {rate} is replaced by the penalty rate in force "
        "and {indemnity} by the fixed recovery indemnity. Empty: the standard mention, written for "
        "each policy and translated as a whole.",
    )

    @api.constrains(
        "dunning_tolerance_amount",
        "dunning_contact_cap",
        "dunning_contact_window_days",
        "dunning_contact_hour_from",
        "dunning_contact_hour_to",
    )
    def _check_dunning_settings(self):
        for company in self:
            if company.dunning_tolerance_amount < 0 or company.dunning_contact_cap < 0:
                raise ValidationError(
                    self.env._("The dunning tolerance and contact limit cannot be negative.")
                )
            if company.dunning_contact_window_days < 1:
                raise ValidationError(self.env._("The contact limit's window must be at least one day."))
            if not 0 <= company.dunning_contact_hour_from < company.dunning_contact_hour_to <= 24:
                raise ValidationError(
                    self.env._("Contact hours must be within the day and end after they start.")
                )

    @api.model
    def _dunning_set_default_scenario(self):
        """At install: companies without a default scenario get the standard one."""
        scenario = self.env.ref("recouvrement_credit.dunning_scenario_standard")
        self.search([("dunning_scenario_id", "=", False)]).dunning_scenario_id = scenario

    @api.model
    def _late_payment_reset_legacy_mention(self):
        """Called at each update: the English text that used to be every company's default mention
        gives way to the standard mention, translated as a whole."""
        for company in self.with_context(lang="en_US").search([("late_payment_mention", "!=", False)]):
            if company.late_payment_mention == LEGACY_LATE_PAYMENT_MENTION:
                company.late_payment_mention = False

    def write(self, vals):
        result = super().write(vals)
        if {"account_use_credit_limit", "credit_prepayment_grade"} & set(vals):
            self.env["recouvrement.credit.position"]._invalidate_all()
        return result

    def _get_credit_manager(self):
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        return (
            self.env["res.users"]
            .sudo()  # salespeople and customers online need the credit manager they cannot search for
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

    def _chart_template_selection(self):
        """The settings page (and every description of the company's fields) lists the charts of
        accounts: stock Odoo rebuilds that list on each request by introspecting every localisation
        module, about 1.2 s of the 1.5 s that Accounting > Settings takes to load (our own settings:
        1 ms). The list only changes when modules are installed, which starts a new registry and
        cache: keep it per country and language."""
        return list(self._get_chart_template_options(self.country_id[:1].id))

    @tools.ormcache("country_id", "self.env.lang")
    def _get_chart_template_options(self, country_id):
        country = self.env["res.country"].browse(country_id)
        return tuple(map(tuple, self.env["account.chart.template"]._select_chart_template(country)))

    def _get_lang(self):
        """The language of what the engine writes for the company's own staff (chatter notes,
        to-dos), whoever runs it: a scheduled job runs as a user whose language may be another one.
        The company's (its partner's) language when it is active, else the current one."""
        self.ensure_one()
        lang = self.partner_id.lang
        return lang if lang and self.env["res.lang"]._lang_get(lang) else self.env.lang or "en_US"

    def _get_late_payment_product(self, kind):
        """The product of penalty invoice lines: 'interest', else the indemnity / fees one."""
        self.ensure_one()
        if kind == "interest":
            return self.late_payment_interest_product_id or self.env.ref(
                "recouvrement_credit.product_late_payment_interest"
            )
        return self.late_payment_indemnity_product_id or self.env.ref(
            "recouvrement_credit.product_late_payment_indemnity"
        )

    # ------------------------------------------------------------------
    # Late-payment penalties: set-up
    # ------------------------------------------------------------------

    @api.model
    def _late_payment_install_defaults(self):
        """At install, for the companies that exist: private persons follow the consumer policy, and
        a French chart gives its penalty accounts and a penalty journal."""
        consumer = self.env.ref("recouvrement_credit.penalty_policy_fr_consumer")
        companies = self.search([])
        companies.filtered(
            lambda c: not c.late_payment_consumer_policy_id
        ).late_payment_consumer_policy_id = consumer
        companies._late_payment_set_defaults()

    def _late_payment_set_defaults(self):
        """Fill what is empty among the penalty journal, products and accounts, from the French chart
        (763100 Revenus des créances commerciales for interest, 758x for the indemnity and fees) when
        the company uses it. What is already set is kept."""
        for company in self:
            accounts = company._get_late_payment_default_accounts()
            if not accounts:
                continue
            vals = {
                field: account.id for field, account in accounts.items() if account and not company[field]
            }
            if not company.late_payment_journal_id:
                vals["late_payment_journal_id"] = company._get_or_create_late_payment_journal().id
            if not company.late_payment_interest_product_id:
                vals["late_payment_interest_product_id"] = company._get_late_payment_product("interest").id
            if not company.late_payment_indemnity_product_id:
                vals["late_payment_indemnity_product_id"] = company._get_late_payment_product("indemnity").id
            company.write(vals)

    def _get_late_payment_default_accounts(self):
        """{field: account} of the French chart (empty dict when the company's chart has no 7631)."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        domain = Account._check_company_domain(self)

        def find(prefix):
            return Account.search([*domain, ("code", "=like", f"{prefix}%")], order="code", limit=1)

        interest = find("7631")
        if not interest:
            return {}
        return {
            "late_payment_interest_account_id": interest,
            "late_payment_indemnity_account_id": find("7588") or find("758"),
        }

    def _get_or_create_late_payment_journal(self):
        """The company's sales journal coded PEN, created when missing: penalty invoices get their own
        numbering (notes de débit)."""
        self.ensure_one()
        Journal = self.env["account.journal"].with_company(self)
        journal = Journal.search([*Journal._check_company_domain(self), ("code", "=", "PEN")], limit=1)
        if journal.type == "sale":
            return journal
        if journal:
            return self.env["account.journal"]
        return Journal.create(
            {
                "name": self.env._("Late-Payment Penalties"),
                "code": "PEN",
                "type": "sale",
                "company_id": self.id,
            }
        )

    def _get_late_payment_setup_missing(self):
        """The labels of the penalty settings still empty (journal, accounts): penalty invoices then
        fall back on the default sales journal and the products' accounts."""
        self.ensure_one()
        names = [
            "late_payment_journal_id",
            "late_payment_interest_account_id",
            "late_payment_indemnity_account_id",
        ]
        return [self._fields[name]._description_string(self.env) for name in names if not self[name]]

    def action_open_late_payment_settings(self):
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_account_config")
        action["context"] = {"module": "account", "bin_size": False}
        return action

    def _get_late_payment_account(self, kind):
        """The configured income account, or an empty recordset to let the invoice line take the
        product's (else the journal's) default account."""
        self.ensure_one()
        if kind == "interest":
            return self.late_payment_interest_account_id
        return self.late_payment_indemnity_account_id

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

    @api.constrains("aged_balance_bucket_days")
    def _check_aged_balance_bucket_days(self):
        for company in self:
            company._get_aged_balance_limits()

    def _get_aged_balance_limits(self):
        """The aged balance buckets' last days, as integers (see ``aged_balance_bucket_days``)."""
        self.ensure_one()
        text = (self.aged_balance_bucket_days or "").replace(" ", "")
        try:
            limits = [int(part) for part in text.split(",") if part]
        except ValueError:
            limits = []
        if not limits or limits[0] < 1 or any(a >= b for a, b in pairwise(limits)):
            raise ValidationError(
                self.env._(
                    "Aged balance buckets: write the last day of each bucket as increasing whole numbers "
                    "separated by commas, such as 30,60,90,120 (not “%(text)s”).",
                    text=self.aged_balance_bucket_days or "",
                )
            )
        return limits
