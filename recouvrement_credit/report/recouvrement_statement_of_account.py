from odoo import api, fields, models


class ReportStatementOfAccount(models.AbstractModel):
    """Values of the statement of account: the statement date (``data["date"]``, else today) and,
    per customer, its open items with a running balance and its aged balance."""

    _name = "report.recouvrement_credit.report_statement_of_account"
    _description = "Statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        date = fields.Date.to_date((data or {}).get("date")) or fields.Date.context_today(self)
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": self.env.company,
            "statement_date": date,
            "statements": {
                partner.id: {
                    "lines": partner._get_statement_lines(date),
                    "aged": partner._get_aged_balance(date),
                }
                for partner in partners
            },
        }
