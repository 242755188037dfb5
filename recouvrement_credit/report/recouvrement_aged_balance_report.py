from odoo import api, models


class ReportAgedBalance(models.AbstractModel):
    """Values of the printable aged balance: per company, its buckets and one row per customer
    (``recouvrement.aged.balance.get_aged_balance``, one SQL aggregate), sorted by name, and the
    totals."""

    _name = "report.recouvrement_credit.report_aged_balance"
    _description = "Printable aged balance"

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["recouvrement.aged.balance"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "recouvrement.aged.balance",
            "docs": reports,
            "pages": {report.id: report._get_print_pages() for report in reports},
        }
