from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


def legal_due_date_cap(invoice_date, company):
    """The latest due date French law allows (Commercial Code L441-10) for an invoice of that date:
    N days after it, or N' days "end of month", which practice reads two ways (N' days then end of
    month, or end of month then N' days): the latest of the three. None if not checked."""
    if not invoice_date or not (company.payment_term_cap_days or company.payment_term_cap_eom_days):
        return None
    eom_days = timedelta(days=company.payment_term_cap_eom_days)
    return max(
        invoice_date + timedelta(days=company.payment_term_cap_days),
        invoice_date + eom_days + relativedelta(day=31),
        invoice_date + relativedelta(day=31) + eom_days,
    )


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    exceeds_legal_cap = fields.Boolean(
        "Beyond the Legal Cap",
        compute="_compute_exceeds_legal_cap",
        help="Some invoices would fall due later than French law allows (L441-10).",
    )
    late_payment_policy_id = fields.Many2one(
        "recouvrement.penalty.policy",
        "Late-Payment Policy",
        check_company=True,
        help="Penalties of invoices with this term (e.g. a contractual rate), unless the customer has "
        "its own policy. Empty: the company's.",
    )

    @api.depends("line_ids.nb_days", "line_ids.delay_type", "line_ids.days_next_month")
    @api.depends_context("company")
    def _compute_exceeds_legal_cap(self):
        # The worst case depends on the invoice date: try every day of a long and a short month.
        sample_dates = [date(2025, 1, 1) + timedelta(days=n) for n in range(59)]
        company = self.env.company
        for term in self:
            term.exceeds_legal_cap = any(
                line._get_due_date(invoice_date) > legal_due_date_cap(invoice_date, company)
                for invoice_date in sample_dates
                if legal_due_date_cap(invoice_date, company)
                for line in term.line_ids
            )
