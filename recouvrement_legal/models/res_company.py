from odoo import Command, fields, models
from odoo.exceptions import UserError

# Default accounts in the French chart (l10n_fr_account): company field → code
FR_DEFAULT_CODES = {
    "legal_impairment_account_id": "491000",
    "legal_impairment_expense_account_id": "681740",
    "legal_impairment_reversal_account_id": "781740",
    "legal_writeoff_account_id": "654100",
    "legal_writeoff_prior_account_id": "654400",
    "legal_recovery_income_account_id": "771400",
}
DOUBTFUL_CODE = "416100"
# Sums a third party collects for us on a legal case (the credit insurer's indemnity, the collection
# agency's collections): a receivable on that third party (PCG 467, reconcilable, so that its payment
# clears it) credited against the customer's receivable; with the indemnity the insurer is
# subrogated in our rights, and the agency holds the debtor's money for us (art. R124-2 CPCE) until
# it remits it. Company field → code of the account created with the French chart when missing.
THIRD_PARTY_CODES = {"legal_insurer_account_id": "467100", "legal_agency_account_id": "467200"}


class ResCompany(models.Model):
    _inherit = "res.company"

    legal_prescription_alert_days = fields.Integer(
        "Prescription Alert (Days)",
        default=90,
        help="The dunning run proposes the legal handover of items prescribing within this many days, "
        "whatever their level.",
    )

    legal_doubtful_account_id = fields.Many2one(
        "account.account",
        "Doubtful Receivables Account",
        help="A receivable account (416): the debt stays in the customer's ledger and later payments "
        "reconcile with it. Created on first use with the French chart.",
    )
    legal_impairment_account_id = fields.Many2one("account.account", "Impairment Account (491)")
    legal_impairment_expense_account_id = fields.Many2one("account.account", "Impairment Expense (6817)")
    legal_impairment_reversal_account_id = fields.Many2one("account.account", "Impairment Reversal (7817)")
    legal_writeoff_account_id = fields.Many2one("account.account", "Irrecoverable Debts, Current Year (6541)")
    legal_writeoff_prior_account_id = fields.Many2one(
        "account.account", "Irrecoverable Debts, Prior Years (6544)"
    )
    legal_journal_id = fields.Many2one("account.journal", "Doubtful Debts Journal")
    legal_insurer_account_id = fields.Many2one(
        "account.account",
        "Insurer Indemnities Account",
        help="Debited with the credit insurer's indemnity, against the customer's receivable "
        "(the insurer is subrogated). A reconcilable 467 account created with the French chart; "
        "choose a bank account to book the indemnity as received.",
    )
    legal_agency_account_id = fields.Many2one(
        "account.account",
        "Agency Collections Account",
        help="Debited with what the collection agency reports as collected, against the customer's "
        "receivable, until the agency remits it. A reconcilable 467 account created with the French "
        "chart.",
    )
    legal_recovery_income_account_id = fields.Many2one(
        "account.account",
        "Recovery of Written-off Debts (7714)",
        help="Income booked when a written-off debtor pays later (excl. VAT; the VAT goes back to the "
        "VAT account the write-off regularised).",
    )

    def _get_legal_account(self, field_name):
        """The company's account for FIELD_NAME, else the French chart's default, else an error."""
        self.ensure_one()
        if field_name in THIRD_PARTY_CODES and not self[field_name]:
            self._ensure_third_party_account(field_name)
        account = self[field_name]
        if account:
            return account
        Account = self.env["account.account"].with_company(self)
        if field_name == "legal_doubtful_account_id":
            account = Account.search(
                [("code", "=", DOUBTFUL_CODE), *Account._check_company_domain(self)], limit=1
            )
            if not account and self.chart_template == "fr":
                account = Account.create(
                    {
                        "code": DOUBTFUL_CODE,
                        "name": self.env._("Doubtful customers (receivable)"),
                        "account_type": "asset_receivable",
                        "reconcile": True,
                        "company_ids": [Command.link(self.id)],
                    }
                )
        elif field_name in FR_DEFAULT_CODES:
            account = Account.search(
                [("code", "=", FR_DEFAULT_CODES[field_name]), *Account._check_company_domain(self)], limit=1
            )
        if not account:
            raise UserError(
                self.env._(
                    "Set the account '%(account)s' of %(company)s in the settings of legal collection: "
                    "no default is known for its chart of accounts.",
                    account=self._fields[field_name].get_description(self.env)["string"],
                    company=self.name,
                )
            )
        if field_name == "legal_doubtful_account_id" and account.account_type != "asset_receivable":
            raise UserError(
                self.env._(
                    "The doubtful receivables account %(account)s must be a receivable account.",
                    account=account.display_name,
                )
            )
        self[field_name] = account
        return account

    def _get_legal_journal(self):
        self.ensure_one()
        journal = self.legal_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self), ("type", "=", "general")], limit=1
        )
        if not journal:
            raise UserError(self.env._("No miscellaneous journal in %(company)s.", company=self.name))
        return journal

    def _ensure_third_party_account(self, field_name):
        """With the French chart: find or create the 467 account of FIELD_NAME."""
        self.ensure_one()
        code = THIRD_PARTY_CODES[field_name]
        Account = self.env["account.account"].with_company(self)
        account = Account.search([("code", "=", code), *Account._check_company_domain(self)], limit=1)
        if not account and self.chart_template == "fr":
            account = Account.create(
                {
                    "code": code,
                    "name": self._get_third_party_account_names()[field_name],
                    "account_type": "asset_current",
                    "reconcile": True,
                    "company_ids": [Command.link(self.id)],
                }
            )
        if account:
            self[field_name] = account
        return account

    def _get_third_party_account_names(self):
        return {
            "legal_insurer_account_id": self.env._("Credit insurer – indemnities receivable"),
            "legal_agency_account_id": self.env._("Collection agency – sums collected for us"),
        }
