from odoo import api, fields, models
from odoo.tools import SQL

# The one definition of an open receivable item (a customer's due date still to settle, or a credit
# of theirs not yet applied): posted, on a receivable account, not reconciled, something left on it.
# Invoices to collect are those with a positive residual, credits those with a negative one.
# ``_get_open_receivable_domain`` and ``_get_open_receivable_sql`` are its two forms.
OPEN_RECEIVABLE_DOMAIN = (
    ("account_id.account_type", "=", "asset_receivable"),
    ("parent_state", "=", "posted"),
    ("reconciled", "=", False),
    ("amount_residual", "!=", 0),
)


def domain_literal(*parts):
    """The text of a field's domain joining PARTS (leaves or texts such as "('company_id', '=',
    company_id)" that name the record's fields), as the web client evaluates it."""
    return "[%s]" % ", ".join(part if isinstance(part, str) else repr(part) for part in parts)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Written in bulk by the dunning run (SQL), read by its next run: the item's dunning state.
    dunning_level_id = fields.Many2one(
        "recouvrement.dunning.level", readonly=True, copy=False, index="btree_not_null"
    )
    dunning_date = fields.Date("Last Reminder", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    @api.model
    def _get_open_receivable_domain(self):
        """Domain of the open receivable items (see ``OPEN_RECEIVABLE_DOMAIN``)."""
        return list(OPEN_RECEIVABLE_DOMAIN)

    @api.model
    def _get_open_receivable_sql(self, line="aml", account="account"):
        """SQL condition of the open receivable items, on the alias LINE of account_move_line and
        ACCOUNT of its account_account (the same items as ``_get_open_receivable_domain``)."""
        return SQL(
            "%(line)s.reconciled IS NOT TRUE AND %(line)s.parent_state = 'posted'"
            " AND %(line)s.amount_residual <> 0 AND %(account)s.account_type = 'asset_receivable'",
            line=SQL.identifier(line),
            account=SQL.identifier(account),
        )
