from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestPdfRendering(AccountTestInvoicingCommon, HttpCase):
    """The harness renders real PDFs through wkhtmltopdf: letters in later issues rely on it.

    An HttpCase, so that wkhtmltopdf's requests for the report assets share the test transaction.
    """

    def test_invoice_renders_through_wkhtmltopdf(self):
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok")
        invoice = self.init_invoice("out_invoice", amounts=[1000], post=True)
        pdf, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
