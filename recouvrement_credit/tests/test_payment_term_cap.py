from datetime import date

from odoo import Command
from odoo.tests import tagged

from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestPaymentTermCap(CreditCommon):
    def _term(self, **line):
        return self.env["account.payment.term"].create(
            {"name": "Terme", "line_ids": [Command.create({"value": "percent", "value_amount": 100, **line})]}
        )

    def test_terms_within_the_law(self):
        for line in (
            {"nb_days": 30},
            {"nb_days": 60},
            {"nb_days": 45, "delay_type": "days_after_end_of_month"},
        ):
            with self.subTest(line=line):
                self.assertFalse(self._term(**line).exceeds_legal_cap)

    def test_terms_beyond_the_law(self):
        self.assertTrue(self._term(nb_days=90).exceeds_legal_cap)
        self.assertTrue(self._term(nb_days=50, delay_type="days_after_end_of_month").exceeds_legal_cap)

    def test_caps_are_configurable(self):
        self.company.payment_term_cap_days = 90
        self.assertFalse(self._term(nb_days=90).exceeds_legal_cap)

    def test_invoice_due_beyond_the_cap_is_flagged(self):
        invoice = self._invoice(100, post=False)
        # invoiced 10 March: 60 days = 9 May; 45 days then end of month = 30 April;
        # end of month then 45 days = 15 May, the latest
        invoice.write({"invoice_date": date(2026, 3, 10), "invoice_date_due": date(2026, 5, 15)})
        self.assertFalse(invoice.exceeds_legal_cap)
        invoice.invoice_date_due = date(2026, 5, 16)
        self.assertTrue(invoice.exceeds_legal_cap)

    def test_consumers_are_not_concerned(self):
        person = self.env["res.partner"].create({"name": "Julien Roux", "is_company": False})
        invoice = self._invoice(100, partner=person, post=False)
        invoice.write({"invoice_date": date(2026, 3, 10), "invoice_date_due": date(2026, 8, 1)})
        self.assertFalse(invoice.exceeds_legal_cap)
