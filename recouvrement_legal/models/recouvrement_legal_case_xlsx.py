from odoo import models


class RecouvrementLegalCase(models.Model):
    """Legal cases download as an XLSX table (the list's "Export to Excel"), a sheet per company."""

    _name = "recouvrement.legal.case"
    _inherit = ["recouvrement.legal.case", "recouvrement.xlsx.export.mixin"]

    def _get_xlsx_table_columns(self):
        """The case, its debtor and stage, and its figures in the company currency, with totals."""
        return [
            ("name", None, False),
            ("partner_id", None, False),
            ("user_id", None, False),
            ("stage_id", None, False),
            ("state", None, False),
            ("date_open", None, False),
            ("date_close", None, False),
            ("close_reason", None, False),
            ("amount_opening", None, True),
            ("amount_principal", None, True),
            ("amount_interest", None, True),
            ("amount_indemnity", None, True),
            ("amount_costs", None, True),
            ("amount_recovered", None, True),
            ("amount_balance", None, True),
            ("amount_net_recovery", None, True),
            ("recovery_rate", None, False),
            ("currency_id", None, False),
        ]
