from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
class TestPaymentPlanLetter(CreditCommon, HttpCase):
    """The agreement letter renders to a real PDF through wkhtmltopdf, in the customer's language.

    An HttpCase, so that wkhtmltopdf's requests for the report assets share the test transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        with freeze_time(TODAY):
            invoice = cls._invoice(cls, 1000, days_late=30)
            wizard = (
                cls.env["recouvrement.payment.plan.wizard"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"date_first": date(2026, 7, 1)})
            )
            cls.plan = cls.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"])
            cls.plan.action_confirm()

    def _render(self, lang):
        self.customer.lang = lang
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        html = report._render_qweb_html("recouvrement_credit.report_payment_plan", self.plan.ids)[0].decode()
        pdf, content_type = report._render_qweb_pdf("recouvrement_credit.report_payment_plan", self.plan.ids)
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return html

    def test_letter_in_english(self):
        html = self._render("en_US")
        self.assertIn("Payment Plan Agreement", html)
        self.assertIn(self.plan.name, html)
        self.assertIn(self.plan.move_line_ids.move_id.name, html)
        self.assertIn("333.34", html)
        self.assertIn("the whole remaining balance becomes due", html)

    def test_letter_in_french(self):
        html = self._render("fr_FR")
        self.assertIn(self.plan.name, html)
        self.assertIn("333,34", html)  # amounts and dates in the customer's language
        self.assertIn("01/07/2026", html)
