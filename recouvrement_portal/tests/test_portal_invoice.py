from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.recouvrement_credit.tests.penalty_common import D, PenaltyCommon


@tagged("post_install", "-at_install")
class TestPortalInvoice(PenaltyCommon, HttpCase):
    """What a customer sees of Recouvrement on the portal: a business customer's invoice states our
    late-payment mention (rate and 40 € indemnity), a consumer's does not; the collections'
    records (reminders, credit positions) stay out of the portal's reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business = cls._customer("Boulangerie Portail", is_company=True)
        cls.consumer = cls._customer("Julien Portail", is_company=False, policy=cls.policy_consumer)
        cls.portal_business = cls._portal_user("portal_business", cls.business)
        cls.portal_consumer = cls._portal_user("portal_consumer", cls.consumer)

    @classmethod
    def _portal_user(cls, login, partner):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=partner.id,
            company_id=cls.company.id,
        )

    def _portal_invoice_text(self, user, invoice):
        """The invoice as its customer opens it on the portal (the page's printable view)."""
        self.authenticate(user.login, user.login)
        # Odoo's default timeout (12 s) is a load test on a busy machine: this one only guards a hang.
        response = self.url_open(f"/my/invoices/{invoice.id}?report_type=html", timeout=300)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_business_customer_reads_the_late_payment_mention(self):
        # Due 31 July 2025: penalties from 2025-S2, ECB 2.15 + 10 = 12.15 %
        invoice = self._late_invoice(1000, D("2025-07-31"), self.business)
        text = self._portal_invoice_text(self.portal_business, invoice)
        self.assertIn(invoice.name, text)
        self.assertIn('name="late_payment_mention"', text)
        self.assertIn("penalties at the annual rate of 12.15 %", text)
        self.assertIn("fixed indemnity for recovery costs of", text)

    def test_consumer_reads_no_business_mention(self):
        invoice = self._late_invoice(1000, D("2025-07-31"), self.consumer)
        text = self._portal_invoice_text(self.portal_consumer, invoice)
        self.assertIn(invoice.name, text)
        self.assertNotIn('name="late_payment_mention"', text)
        self.assertNotIn("fixed indemnity for recovery costs", text)

    def test_collections_records_out_of_the_portal_reach(self):
        for model in ("recouvrement.dunning.communication", "recouvrement.credit.position"):
            self.assertFalse(self.env[model].with_user(self.portal_business).has_access("read"), model)
        invoice = self._late_invoice(1000, D("2025-07-31"), self.business)
        with self.assertRaises(AccessError):
            invoice.with_user(self.portal_business).get_late_payment_penalty(D("2025-08-30"))
