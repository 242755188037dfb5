from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .letter_common import LetterCommon

LETTER = "recouvrement_credit.action_report_dunning_letter"
INVOICE = "account.account_invoices"


@tagged("post_install", "-at_install")
class TestPdfRendering(LetterCommon, HttpCase):
    """What customers receive on paper: the pages that wkhtmltopdf really turns into the PDF carry
    the letter's figures and our late-payment mention. (wkhtmltopdf draws the report's web fonts
    as outlines, so the PDF itself has no extractable text: the test reads the pages it was given.)

    An HttpCase, so that wkhtmltopdf's requests for the report assets share the test transaction.
    """

    def _printed_text(self, report_ref, records):
        """The text of the pages sent to wkhtmltopdf to print REPORT_REF for RECORDS."""
        run = IrActionsReport._run_wkhtmltopdf
        printed = []

        def spy(report, bodies, *args, **kwargs):
            printed.extend(bodies)
            return run(report, bodies, *args, **kwargs)

        with patch.object(IrActionsReport, "_run_wkhtmltopdf", spy):
            pdf, content_type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report_ref, records.ids)
            )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(printed, "printed through wkhtmltopdf")
        return " ".join(html2plaintext(" ".join(printed)).split())

    def test_reminder_letter_pdf_states_what_is_due(self):
        big = self._invoice(1000.0, days_late=35)
        small = self._invoice(234.5, days_late=20)
        text = self._printed_text(LETTER, self._communication(self.levels[15], big | small))
        for expected in (
            big.name,
            small.name,
            "1,234.50",
            self.printed_iban,
            "CLI-0042",
            "Despite our previous reminders",
        ):
            self.assertIn(expected, text)
        self.assertIn("L441-10", text, "this level recalls the late-payment penalties")

    def test_invoice_pdf_carries_our_late_payment_mention(self):
        self.company.late_payment_policy_id = self.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        self.customer.is_company = True
        invoice = self._invoice(1000.0, days_late=-30)
        text = self._printed_text(INVOICE, invoice)
        self.assertIn(invoice.name, text)
        self.assertIn("fixed indemnity for recovery costs", text)
        self.assertIn("L441-10", text)
