"""The accounts of sums that a third party collects for us on a legal case: the credit insurer's
indemnity and the collection agency's collections. Each is a receivable on that third party
(PCG 467, reconcilable, so its payment clears it), credited against the customer's receivable:
with the indemnity the insurer is subrogated in our rights, and the agency holds the debtor's
money for us (art. R124-2 CPCE: a dedicated account) until it remits it."""

from odoo import Command, fields, models

# company field → code of the account created with the French chart when missing
THIRD_PARTY_CODES = {"legal_insurer_account_id": "467100", "legal_agency_account_id": "467200"}


class ResCompany(models.Model):
    _inherit = "res.company"

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

    def _get_legal_account(self, field_name):
        if field_name in THIRD_PARTY_CODES and not self[field_name]:
            self._ensure_third_party_account(field_name)
        return super()._get_legal_account(field_name)

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
