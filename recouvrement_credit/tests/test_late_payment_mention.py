from odoo.tests import tagged

from .penalty_common import D, PenaltyCommon

FRENCH = (
    "Pénalités de retard au taux annuel de {rate}, exigibles dès le lendemain de l'échéance, et "
    "indemnité forfaitaire pour frais de recouvrement de {indemnity} (C. com. L441-10, D441-5)."
)


@tagged("post_install", "-at_install")
class TestLatePaymentMention(PenaltyCommon):
    def _html(self, invoice):
        html, __ = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)
        return html.decode()

    def test_mention_in_english(self):
        # Due 31 July 2025: the penalties start in 2025-S2, ECB 2.15 + 10 = 12.15 %
        invoice = self._late_invoice(1000, D("2025-07-31"))
        html = self._html(invoice)
        self.assertIn('name="late_payment_mention"', html)
        self.assertIn("penalties at the annual rate of 12.15 %", html)
        self.assertIn("ECB main refinancing rate + 10 points", html)
        self.assertIn("fixed indemnity for recovery costs of", html)
        self.assertIn("40.00", html)

    def test_standard_mention_entirely_in_french(self):
        """Without a text of the company's own, the standard mention is one sentence translated as
        a whole: no English word in a French invoice, no French word in an English one."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        french = self._html(self._late_invoice(1000, D("2025-07-31")))
        self.assertIn(
            "Pénalités de retard au taux annuel de 12,15 % (taux de refinancement de la BCE + 10 points)",
            french,
        )
        self.assertIn("indemnité forfaitaire pour frais de recouvrement de 40,00", french)
        for english in ("Late payment", "penalties", "annual rate", "ECB", "indemnity"):
            self.assertNotIn(english, french)
        self.customer.lang = "en_US"
        english = self._html(self._late_invoice(1000, D("2025-07-31")))
        self.assertIn("Late payment: penalties at the annual rate of 12.15 %", english)
        for word in ("Pénalités", "taux", "BCE", "indemnité"):
            self.assertNotIn(word, english)

    def test_mention_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        # The company's own text, translated by the company
        self.company.late_payment_mention = (
            "Late payment: {rate} per year, and {indemnity} of recovery costs."
        )
        self.company.update_field_translations("late_payment_mention", {"fr_FR": FRENCH})
        self.customer.lang = "fr_FR"
        invoice = self._late_invoice(1000, D("2025-07-31"))
        html = self._html(invoice)
        self.assertIn("Pénalités de retard au taux annuel de 12,15 %", html)
        self.assertIn("indemnité forfaitaire pour frais de recouvrement de 40,00", html)
        self.assertNotIn("penalties at the annual rate", html)

    def test_no_mention_for_consumers(self):
        consumer = self._customer("Julien Roux", is_company=False, policy=self.policy_consumer)
        html = self._html(self._late_invoice(1000, D("2025-07-31"), consumer))
        self.assertNotIn('name="late_payment_mention"', html)

    def test_mention_without_the_semester_rate(self):
        # 2026-S2 not loaded: the formula alone, the invoice still prints
        invoice = self._late_invoice(1000, D("2026-08-31"))
        html = self._html(invoice)
        self.assertIn("penalties at the annual rate of the ECB main refinancing rate + 10 points", html)
