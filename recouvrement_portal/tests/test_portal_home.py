from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestPortalHome(AccountTestInvoicingCommon, HttpCase):
    """A customer signs in to the portal and finds their invoices (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Boulangerie Test", "email": "b@test.example"})
        cls.portal_user = new_test_user(
            cls.env,
            login="portal_customer",
            password="portal_customer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            company_id=cls.company_data["company"].id,
        )
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.customer, amounts=[1200], post=True)

    def test_invoice_list_shows_own_invoice(self):
        self.authenticate("portal_customer", "portal_customer")
        response = self.url_open("/my/invoices")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice.name, response.text)

    def test_portal_home_in_browser(self):
        check = """
            const docs = document.querySelector('.o_portal_docs');
            if (docs) { console.log('test successful'); } else { console.error('portal home not rendered'); }
        """
        self.browser_js("/my", check, ready="document.readyState === 'complete'", login="portal_customer")
