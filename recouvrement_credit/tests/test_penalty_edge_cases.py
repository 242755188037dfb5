"""Legal edge cases of late-payment penalties (issue #9, items 6-11; issue #14, items 4, 5 and 7)."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from odoo.addons.recouvrement_credit.models.res_company import LEGACY_LATE_PAYMENT_MENTION

from .credit_common import TODAY
from .letter_common import LetterCommon
from .penalty_common import D, PenaltyCommon

ECB_CONFIRMED = "recouvrement_credit.ecb_rate_confirmed_until"
LEGAL_CONFIRMED = "recouvrement_credit.legal_rate_confirmed_until"


@tagged("post_install", "-at_install")
class TestPenaltyEdgeCases(PenaltyCommon):
    def _semester_2026_s2(self):
        return self.env["recouvrement.legal.rate"].create(
            {"date_from": "2026-07-01", "date_to": "2026-12-31", "rate_individual": 6.5, "rate_other": 2.5}
        )

    # Item 6 --------------------------------------------------------------

    def test_indemnity_converted_once_at_the_first_day_late(self):
        """A dollar invoice: 40 € at the rate of 1 August 2025 (2.5 € per $: 16 $), whatever the day
        of the computation (1.6 € per $ from 1 September: it would be 25 $)."""
        usd = self.company.currency_id
        for day, rate in (("2025-08-01", 2.5), ("2025-09-01", 1.6)):
            self.env["res.currency.rate"].create(
                {"name": day, "rate": rate, "currency_id": self.eur.id, "company_id": self.company.id}
            )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2025-07-01",
                "invoice_date_due": "2025-07-31",
                "invoice_payment_term_id": False,
                "currency_id": usd.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2025-08-30"))["indemnity"], 16.0)
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2025-09-30"))["indemnity"], 16.0)
        penalty_invoice = invoice._create_late_payment_invoices(D("2025-10-15"))
        indemnity = self.env.ref("recouvrement_credit.product_late_payment_indemnity")
        line = penalty_invoice.invoice_line_ids.filtered(lambda line: line.product_id == indemnity)
        self.assertAlmostEqual(line.price_unit, 16.0)

    # Item 7 --------------------------------------------------------------

    def test_private_person_falls_back_to_the_consumer_policy(self):
        self.assertEqual(self.company.late_payment_consumer_policy_id, self.policy_consumer)
        person = self._customer("Julie Martin", is_company=False)
        invoice = self._late_invoice(1000, D("2025-07-31"), person)
        self.assertEqual(invoice._get_penalty_policy(), self.policy_consumer)
        self.assertEqual(invoice.get_late_payment_penalty(D("2025-08-30"))["indemnity"], 0.0)
        # A company's invoice keeps the company's policy
        self.assertEqual(self._late_invoice(1000, D("2025-07-31"))._get_penalty_policy(), self.policy_b2b)
        # Configurable per company: emptied, private persons follow the company's policy again
        self.company.late_payment_consumer_policy_id = False
        self.assertEqual(invoice._get_penalty_policy(), self.policy_b2b)

    def test_warning_when_a_b2b_policy_applies_to_a_private_person(self):
        person = self._customer("Julie Martin", is_company=False, policy=self.policy_b2b)
        self.assertIn("private person", person.with_company(self.company).late_payment_policy_warning)
        business = self._customer("Menuiserie", policy=self.policy_b2b)
        self.assertFalse(business.with_company(self.company).late_payment_policy_warning)
        consumer = self._customer("Paul Morel", is_company=False)
        self.assertFalse(consumer.with_company(self.company).late_payment_policy_warning)
        self.company.late_payment_consumer_policy_id = False
        consumer.invalidate_recordset(["late_payment_policy_warning"])
        self.assertTrue(consumer.with_company(self.company).late_payment_policy_warning)

    # Item 8 --------------------------------------------------------------

    def test_contractual_rate_below_the_floor_is_raised_to_it(self):
        """5 % < 3 × 2.76 % = 8.28 % in 2025-S2: 10,000 × 8.28 % × 30/365 = 68.055 -> 68.05."""
        policy = self.policy_contractual.copy({"fixed_rate": 5.0})
        partner = self._customer("Contract 5 %", policy=policy)
        invoice = self._late_invoice(10000, D("2025-06-30"), partner)
        result = invoice.get_late_payment_penalty(D("2025-07-30"))
        self.assertEqual(result["periods"][0]["rate"], 8.28)
        self.assertAlmostEqual(result["interest"], 68.05)
        self.assertTrue(any("8.28" in warning for warning in result["warnings"]), result["warnings"])
        # The option keeps the contractual rate, with the warning: 10,000 × 5 % × 30/365 = 41.10
        policy.keep_rate_below_floor = True
        result = invoice.get_late_payment_penalty(D("2025-07-30"))
        self.assertEqual(result["periods"][0]["rate"], 5.0)
        self.assertAlmostEqual(result["interest"], 41.10)
        self.assertTrue(any("does not allow" in warning for warning in result["warnings"]))

    def test_shipped_contractual_policy_respects_every_installed_floor(self):
        for semester in self.env["recouvrement.legal.rate"].search([]):
            self.assertGreaterEqual(
                self.policy_contractual.fixed_rate, 3 * semester.rate_other, semester.name
            )

    # Item 9 --------------------------------------------------------------

    def test_ecb_rate_beyond_its_confirmed_date_stops_the_computation(self):
        """2026-S2's legal rate is entered but no ECB decision was checked since February: the
        French B2B rate of 1 July 2026 is not computed with a stale ECB rate."""
        self._semester_2026_s2()
        self.env["ir.config_parameter"].set_param(LEGAL_CONFIRMED, "2026-12-31")
        invoice = self._late_invoice(1000, D("2026-06-30"))
        with self.assertRaisesRegex(UserError, "ECB"):
            invoice.get_late_payment_penalty(D("2026-07-31"))
        settings = self.env["res.config.settings"].create(
            {"recouvrement_ecb_rate_confirmed_until": "2026-09-30"}
        )
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param(ECB_CONFIRMED), "2026-09-30")
        # ECB 2.15 on 1 July 2026: 1,000 × 12.15 % × 31/365 = 10.32
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2026-07-31"))["interest"], 10.32)

    def test_legal_rate_beyond_its_confirmed_date_stops_the_computation(self):
        self._semester_2026_s2()
        self.env["ir.config_parameter"].set_param(ECB_CONFIRMED, "2026-12-31")
        invoice = self._late_invoice(1000, D("2026-06-30"))
        with self.assertRaisesRegex(UserError, "2nd semester 2026"):
            invoice.get_late_payment_penalty(D("2026-07-31"))
        self.env["ir.config_parameter"].set_param(LEGAL_CONFIRMED, "2026-12-31")
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2026-07-31"))["interest"], 10.32)

    def test_contractual_rate_computes_without_the_legal_semester(self):
        """The legal rate only sets the contractual rate's floor: 16 % × 1,000 × 31/365 = 13.59."""
        partner = self._customer("CGV", policy=self.policy_contractual)
        invoice = self._late_invoice(1000, D("2026-06-30"), partner)
        result = invoice.get_late_payment_penalty(D("2026-07-31"))
        self.assertAlmostEqual(
            result["interest"], round(1000 * self.policy_contractual.fixed_rate * 31 / 36500, 2)
        )
        self.assertTrue(
            any("2nd semester 2026" in warning for warning in result["warnings"]), result["warnings"]
        )

    def test_semester_label_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        invoice = self._late_invoice(1000, D("2026-05-31"))
        with self.assertRaises(UserError) as error:
            invoice.with_context(lang="fr_FR").get_late_payment_penalty(D("2026-07-15"))
        message = str(error.exception)
        self.assertIn("2ᵉ semestre 2026", message)
        self.assertNotIn("2026-S2", message)
        self.assertNotIn("2026-06-30", message)

    def test_rate_errors_name_semesters_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        LegalRate = self.env["recouvrement.legal.rate"].with_context(lang="fr_FR")
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            LegalRate.create(
                {"date_from": "2026-06-01", "date_to": "2026-12-31", "rate_individual": 1, "rate_other": 2}
            )
        message = str(error.exception)
        self.assertIn("1er semestre 2026", message)
        self.assertIn("01/06/2026", message)
        self.assertNotIn("2026-S1", message)

    # Item 10 -------------------------------------------------------------

    def _credit_note(self, invoice, amount, day):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "invoice_date": day,
                "currency_id": invoice.currency_id.id,
                "reversed_entry_id": invoice.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        refund.action_post()
        receivables = (invoice | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        if not refund.line_ids.matched_debit_ids:  # a reversal is matched with its invoice when posted
            receivables.reconcile()
        self.assertEqual(refund.line_ids.matched_debit_ids.debit_move_id.move_id, invoice)
        return refund

    def test_credit_note_reduces_the_base_from_the_due_date(self):
        """A 4,000 credit note of 31 July on a 10,000 invoice due 30 June.
        Default: 6,000 from 1 July: 6,000 × 12.15 % × 62/365 = 123.83.
        Option off: 10,000 × 12.15 % × 31/365 = 103.19 (July), then 6,000 × 12.15 % × 31/365 = 61.92."""
        invoice = self._late_invoice(10000, D("2025-06-30"))
        self._credit_note(invoice, 4000, D("2025-07-31"))
        self.assertTrue(self.policy_b2b.credit_notes_from_due_date)
        result = invoice.get_late_payment_penalty(D("2025-08-31"))
        self.assertEqual([period["base"] for period in result["periods"]], [6000])
        self.assertAlmostEqual(result["interest"], 123.83)
        self.policy_b2b.credit_notes_from_due_date = False
        result = invoice.get_late_payment_penalty(D("2025-08-31"))
        self.assertEqual([period["base"] for period in result["periods"]], [10000, 6000])
        self.assertAlmostEqual(result["interest"], 165.11)

    def test_payment_still_reduces_from_its_date(self):
        invoice = self._late_invoice(10000, D("2025-06-30"))
        self._pay_on(invoice, 4000, D("2025-07-31"))
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2025-08-31"))["interest"], 165.11)

    # Item 11 -------------------------------------------------------------

    def test_fees_on_top_of_the_indemnity_warn(self):
        level = self.env.ref("recouvrement_credit.dunning_scenario_standard").level_ids.filtered("level")[:1]
        self.assertFalse(level.fee_warning)
        level.fee_amount = 15.0
        self.assertIn("justif", level.fee_warning)
        invoice = self._late_invoice(1000, D("2025-07-31"))
        fees = [{"label": "Reminder fee (level 2)", "amount": 15.0}]
        with patch.object(
            type(self.env["account.move"]), "_get_late_payment_fees", lambda self, on_date: fees
        ):
            result = invoice.get_late_payment_penalty(D("2025-08-30"))
            penalty_invoice = invoice._create_late_payment_invoices(D("2025-08-30"))
        self.assertTrue(any("justif" in warning for warning in result["warnings"]), result["warnings"])
        self.assertIn("justif", penalty_invoice.late_payment_fee_warning)
        plain = invoice._create_late_payment_invoices(D("2025-09-30"))
        self.assertFalse(plain.late_payment_fee_warning)

    # Issue 14, item 4 ----------------------------------------------------

    def test_update_drops_the_legacy_english_mention(self):
        """Earlier versions stored an English mention in every company: the update clears it so that
        the standard mention, translated as a whole, is printed; a company's own text stays."""
        self.company.late_payment_mention = LEGACY_LATE_PAYMENT_MENTION
        own = self.env["res.company"].create({"name": "Own Terms SAS"})
        own.late_payment_mention = "Our own terms: {rate}, {indemnity}."
        self.env["res.company"]._late_payment_reset_legacy_mention()
        self.assertFalse(self.company.late_payment_mention)
        self.assertEqual(own.late_payment_mention, "Our own terms: {rate}, {indemnity}.")
        self.assertIn(
            "ECB main refinancing rate", self._late_invoice(1000, D("2025-07-31"))._get_late_payment_mention()
        )

    # Issue 14, item 7 ----------------------------------------------------

    def test_french_chart_defaults(self):
        company = self.company
        company.write({"late_payment_journal_id": False, "late_payment_interest_account_id": False})
        missing = company._get_late_payment_setup_missing()
        self.assertTrue(missing)
        action = company.action_open_late_payment_settings()
        self.assertEqual(action["res_model"], "res.config.settings")
        invoice = self._late_invoice(1000, D("2025-07-31"))
        self.assertIn("Penalty Invoices Journal", invoice.late_payment_setup_warning)
        self.assertEqual(invoice.action_open_late_payment_settings()["res_model"], "res.config.settings")
        # A French chart: 763100 and 758000 exist
        Account = self.env["account.account"].with_company(company)
        interest = Account.create(
            {"code": "763100", "name": "Revenus des créances commerciales", "account_type": "income"}
        )
        other = Account.create(
            {"code": "758000", "name": "Produits divers de gestion courante", "account_type": "income"}
        )
        company._late_payment_set_defaults()
        self.assertEqual(company.late_payment_interest_account_id, interest)
        self.assertEqual(company.late_payment_indemnity_account_id, other)
        self.assertEqual(company.late_payment_journal_id.type, "sale")
        self.assertEqual(company.late_payment_journal_id.company_id, company)
        self.assertFalse(company._get_late_payment_setup_missing())
        invoice.invalidate_recordset(["late_payment_setup_warning"])
        self.assertFalse(invoice.late_payment_setup_warning)
        penalty_invoice = invoice._create_late_payment_invoices(D("2025-08-30"))
        self.assertEqual(penalty_invoice.journal_id, company.late_payment_journal_id)
        self.assertEqual(penalty_invoice.invoice_line_ids[0].account_id, interest)
        # Idempotent, and what the user chose is kept
        company._late_payment_set_defaults()
        self.assertEqual(
            len(
                self.env["account.journal"].search(
                    [("code", "=", company.late_payment_journal_id.code), ("company_id", "=", company.id)]
                )
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestPenaltyFormalNotice(LetterCommon):
    """The formal notice states the fixed indemnity even when interest cannot be computed, one total,
    and how to pay (bank account, portal link when the portal provides one)."""

    def _text(self, communication, lang="en_US"):
        self.customer.lang = lang
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("recouvrement_credit.action_report_formal_notice", communication.ids)[0]
            .decode()
        )
        return " ".join(html2plaintext(html).split())

    def _formal_notice_without_rates(self):
        invoices = self._invoice(1000.0, days_late=35) | self._invoice(234.5, days_late=20)
        communication = self._communication(self.levels[30], invoices)
        self.env["recouvrement.legal.rate"].search([("date_from", ">=", "2026-01-01")]).unlink()
        return communication

    def test_indemnity_without_interest(self):
        communication = self._formal_notice_without_rates()
        summary = communication._get_penalty_summary()
        self.assertFalse(summary["computed"])
        # 40 € per invoice, in the reminder's currency
        indemnity = 2 * self.env.ref("base.EUR")._convert(40.0, self.currency, self.company, TODAY)
        self.assertAlmostEqual(summary["indemnity"], indemnity)
        self.assertAlmostEqual(summary["total"], 1234.5 + indemnity)
        text = self._text(communication)
        self.assertIn(f"{1234.5 + indemnity:,.2f}", text)
        self.assertIn("to be computed", text)
        self.assertEqual(text.count("Total due"), 1, text)

    def test_one_total_when_computed(self):
        invoices = self._invoice(1000.0, days_late=35)
        text = self._text(self._communication(self.levels[30], invoices))
        self.assertEqual(text.count("Total due"), 1, text)

    def test_bank_account_and_portal_link(self):
        communication = self._communication(self.levels[30], self._invoice(1000.0, days_late=35))
        Communication = type(self.env["recouvrement.dunning.communication"])
        # without a portal link (the portal addon, when installed, answers this hook)
        with patch.object(Communication, "_get_portal_payment_url", lambda self: False):
            text = self._text(communication)
        self.assertIn(self.printed_iban, text)
        self.assertNotIn("Pay online", text)
        with patch.object(Communication, "_get_portal_payment_url", lambda self: "https://pay.example.com/x"):
            text = self._text(communication)
        self.assertIn("https://pay.example.com/x", text)

    def test_formal_notice_in_french_when_a_rate_is_missing(self):
        self.env["ir.module.module"]._load_module_terms(["recouvrement_credit"], ["fr_FR"])
        communication = self._formal_notice_without_rates()
        text = self._text(communication, lang="fr_FR")
        self.assertNotIn("Total due", text)
        self.assertEqual(text.count("Total dû"), 1, text)
        self.assertEqual(TODAY.year, 2026)
