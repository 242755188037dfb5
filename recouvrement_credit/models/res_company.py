from odoo import api, fields, models, tools
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
        default=lambda self: self._default_late_payment_mention(),
        help="Printed on B2B invoices (C. com. L441-9, L441-10). {rate} is replaced by the penalty rate "
        "in force and {indemnity} by the fixed recovery indemnity. Empty: not printed.",
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

    def _default_late_payment_mention(self):
        return self.env._(
            "Late payment: penalties at the annual rate of {rate} are due from the day after the due date, "
            "without a reminder being needed, plus a fixed indemnity for recovery costs of {indemnity} "
            "(French Commercial Code L441-10 and D441-5). No discount for early payment."
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
