import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from .credit_common import TODAY
from .letter_common import LetterCommon

LETTER = "recouvrement_credit.action_report_dunning_letter"
FORMAL_NOTICE = "recouvrement_credit.action_report_formal_notice"
STATEMENT = "recouvrement_credit.action_report_statement_of_account"
SPACE = "[\\s\u202f\xa0]"  # French thousands separator: a (narrow) no-break space


def french_amount(text):
    return re.compile(text.replace(" ", SPACE))


@tagged("post_install", "-at_install")
class TestDunningLetters(LetterCommon, HttpCase):
    """The letters render to real PDFs through wkhtmltopdf (an HttpCase, so that wkhtmltopdf fetches
    the report assets inside the test transaction) and say what they must, in the recipient's
    language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env["ir.actions.report"].with_context(force_report_rendering=True)

    def _two_invoices(self):
        self.big = self._invoice(1000.0, days_late=35)
        self.small = self._invoice(234.5, days_late=20)
        self.invoices = self.big | self.small

    def _text(self, report_ref, records, lang="en_US", data=None):
        self.customer.lang = lang
        html = self.report._render_qweb_html(report_ref, records.ids, data=data)[0].decode()
        return " ".join(html2plaintext(html).split())

    def _pdf(self, report_ref, records, lang, data=None):
        self.customer.lang = lang
        pdf, content_type = self.report._render_qweb_pdf(report_ref, records.ids, data=data)
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), f"{report_ref} in {lang} is a PDF")
        return pdf

    def test_every_letter_renders_to_pdf_in_french_and_english(self):
        self._two_invoices()
        courteous = self._communication(self.levels[1], self.invoices)
        firm = self._communication(self.levels[15], self.invoices)
        formal_notice = self._communication(self.levels[30], self.invoices)
        for lang in ("fr_FR", "en_US"):
            self._pdf(LETTER, courteous, lang)
            self._pdf(LETTER, firm, lang)
            self._pdf(FORMAL_NOTICE, formal_notice, lang)
            self._pdf(STATEMENT, self.customer, lang, data={"date": str(TODAY)})

    def test_reminder_letter_by_tone(self):
        self._two_invoices()
        courteous = self._text(LETTER, self._communication(self.levels[1], self.invoices))
        for expected in (
            self.big.name,
            self.small.name,
            "1,000.00",
            "1,234.50",
            "Payment reminder",
            self.printed_iban,
        ):
            self.assertIn(expected, courteous)
        self.assertRegex(courteous, "Lyon ?, June 15, 2026", "place and date")
        self.assertIn("CLI-0042", courteous, "the customer's account reference")
        self.assertNotIn("L441-10", courteous)
        firm = self._text(LETTER, self._communication(self.levels[15], self.invoices))
        self.assertIn("Despite our previous reminders", firm)
        self.assertIn("L441-10", firm, "this level recalls the penalties")
        self.assertNotIn("Formal notice", firm)

    def test_reminder_letter_in_french_formats(self):
        self._two_invoices()
        text = self._text(LETTER, self._communication(self.levels[1], self.invoices), lang="fr_FR")
        self.assertRegex(text, french_amount("1 000,00"))
        self.assertRegex(text, french_amount("1 234,50"))
        self.assertNotIn("1,000.00", text)
        self.assertIn("15 juin 2026", text)

    def test_formal_notice_b2b(self):
        self._two_invoices()
        communication = self._communication(self.levels[30], self.invoices)
        summary = communication._get_penalty_summary()
        self.assertTrue(summary["computed"])
        self.assertGreater(summary["indemnity"], 0.0, "the fixed recovery indemnity")
        self.assertGreater(summary["interest"], 0.0)
        text = self._text(FORMAL_NOTICE, communication)
        for expected in (
            "Formal notice",
            "Registered letter with acknowledgement of receipt",
            "within eight days of receipt",
            "without further notice",
            "L441-10",
            "Fixed recovery indemnity (40 € per invoice)",
            self.big.name,
            self.printed_iban,
            "1,234.50",
            f"{summary['total']:,.2f}",
        ):
            self.assertIn(expected, text)
        self.assertEqual(
            self._text(LETTER, communication), text, "the reminder letter of a formal-notice level prints it"
        )
        french = self._text(FORMAL_NOTICE, communication, lang="fr_FR")
        self.assertRegex(french, french_amount("1 234,50"))

    def test_formal_notice_when_a_rate_is_missing(self):
        """Without the legal rate of the semester, the letter says the penalties are due by law
        and shows no figure for them."""
        self._two_invoices()
        communication = self._communication(self.levels[30], self.invoices)
        self.env["recouvrement.legal.rate"].search([("date_from", ">=", "2026-01-01")]).unlink()
        self.assertFalse(communication._get_penalty_summary()["computed"])
        text = self._text(FORMAL_NOTICE, communication)
        self.assertIn("to be computed", text)
        self.assertIn("(excluding interest)", text)

    def test_formal_notice_consumer(self):
        """Consumers: legal-rate interest from the notice, never the fixed indemnity."""
        self._two_invoices()
        communication = self._communication(self.consumer_levels[30], self.invoices)
        self.assertTrue(communication.consumer)
        text = self._text(FORMAL_NOTICE, communication)
        self.assertIn("1231-6", text)
        self.assertIn("Interest at the legal rate", text)
        self.assertNotIn("(excluding penalties)", text)
        self.assertNotIn("40 €", text)
        self.assertNotIn("L441-10", text)

    def test_statement_of_account(self):
        invoices = self._aged_invoices()
        text = self._text(STATEMENT, self.customer, data={"date": str(TODAY)})
        for invoice in invoices.values():
            self.assertIn(invoice.name, text)
        buckets = re.search(r"Over 90 days\s+Total due\s+(.*?)Total due:", text).group(1).split()
        amounts = [token for token in buckets if re.match(r"[-\d,]+\.\d\d", token)]
        self.assertEqual(amounts, ["20.00", "200.00", "300.00", "400.00", "500.00", "1,420.00"])
        french = self._text(STATEMENT, self.customer, lang="fr_FR", data={"date": str(TODAY)})
        self.assertRegex(french, french_amount("1 420,00"))

    def test_formal_notice_level_dispatch_renders_the_letter(self):
        """The run brings a late item to the formal notice; sending it renders the formal notice
        into the registered letter's attachment and attaches it to the email copy."""
        invoice = self._invoice(800.0, days_late=50)
        for offset in (0, 5, 10):
            self._run(TODAY + timedelta(days=offset))
        communication = self._run(TODAY + timedelta(days=15))
        self.assertEqual(communication.level_id, self.levels[30])
        self.assertEqual(communication.level_id.letter_report_id, self.env.ref(FORMAL_NOTICE))
        communication.with_context(force_report_rendering=True).dispatch_ids._send()
        registered = communication.dispatch_ids.filtered(lambda d: d.channel == "registered_letter")
        self.assertEqual(registered.state, "awaiting_proof")
        self.assertTrue(registered.attachment_id.raw.startswith(b"%PDF"))
        email = communication.dispatch_ids.filtered(lambda d: d.channel == "email")
        self.assertEqual(email.state, "sent")
        attachments = email.message_id.attachment_ids
        self.assertEqual(len(attachments), 1, "the formal notice goes with the email copy")
        self.assertTrue(attachments.raw.startswith(b"%PDF"))
        self.assertIn(invoice.name, self._text(FORMAL_NOTICE, communication))
