from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .penalty_common import D, PenaltyCommon


@tagged("post_install", "-at_install")
class TestPenaltyInvoice(PenaltyCommon):
    def _lines(self, penalty_invoice):
        return [(line.product_id, line.price_unit) for line in penalty_invoice.invoice_line_ids.sorted("id")]

    def test_invoice_then_only_the_new_period(self):
        invoice = self._late_invoice(10000, D("2025-03-31"))
        interest = self.env.ref("recouvrement_credit.product_late_payment_interest")
        indemnity = self.env.ref("recouvrement_credit.product_late_payment_indemnity")

        # 30 June: 10,000 × 13.15 % × 91/365 = 327.85 + the indemnity
        first = invoice._create_late_payment_invoices(D("2025-06-30"))
        self.assertEqual(len(first), 1)
        self.assertEqual(first.state, "posted")
        self.assertTrue(first.is_late_payment_invoice)
        self.assertEqual(first.commercial_partner_id, self.customer)
        self.assertEqual(first.currency_id, self.eur)
        self.assertEqual(first.invoice_origin, invoice.name)
        self.assertEqual(self._lines(first), [(interest, 327.85), (indemnity, 40.0)])
        self.assertFalse(first.invoice_line_ids.tax_ids)
        self.assertAlmostEqual(first.amount_tax, 0.0)
        self.assertAlmostEqual(first.amount_total, 367.85)
        label = first.invoice_line_ids[0].name
        self.assertIn("13.15", label)
        self.assertIn("91/365", label)

        # Same day again: nothing new
        self.assertFalse(invoice._create_late_payment_invoices(D("2025-06-30")))
        # Paid on 15 August: only 1 Jul-15 Aug, 10,000 × 12.15 % × 46/365 = 153.12, no second indemnity
        self._pay_on(invoice, 10000, D("2025-08-15"))
        second = invoice._create_late_payment_invoices(D("2025-09-30"))
        self.assertEqual(self._lines(second), [(interest, 153.12)])
        charges = self.env["recouvrement.penalty.charge"].search([("move_id", "=", invoice.id)])
        self.assertEqual(sorted(charges.mapped("kind")), ["indemnity", "interest", "interest"])
        self.assertAlmostEqual(sum(charges.mapped("amount")), 520.97)
        self.assertFalse(invoice._create_late_payment_invoices(D("2025-12-31")))
        # A penalty invoice bears no penalties itself
        self.assertFalse(second._create_late_payment_invoices(D("2026-06-30")))

    def test_cancel_frees_the_period(self):
        invoice = self._late_invoice(10000, D("2025-03-31"))
        first = invoice._create_late_payment_invoices(D("2025-06-30"))
        first.button_draft()
        first.button_cancel()
        again = invoice._create_late_payment_invoices(D("2025-06-30"))
        self.assertAlmostEqual(again.amount_total, 367.85)

    def test_delete_frees_the_period(self):
        invoice = self._late_invoice(10000, D("2025-03-31"))
        first = invoice._create_late_payment_invoices(D("2025-06-30"))
        first.button_draft()
        first.unlink()
        self.assertFalse(self.env["recouvrement.penalty.charge"].search([("move_id", "=", invoice.id)]))
        self.assertAlmostEqual(invoice._create_late_payment_invoices(D("2025-06-30")).amount_total, 367.85)

    def test_one_invoice_per_customer_and_currency(self):
        other = self._customer("Other customer")
        invoices = (
            self._late_invoice(10000, D("2025-03-31"))
            | self._late_invoice(5000, D("2025-06-30"))
            | self._late_invoice(1000, D("2025-06-30"), other)
            | self._late_invoice(1000, D("2025-12-31"))  # not late yet: nothing
        )
        penalty_invoices = invoices._create_late_payment_invoices(D("2025-07-31"))
        self.assertEqual(len(penalty_invoices), 2)
        mine = penalty_invoices.filtered(lambda m: m.partner_id == self.customer)
        # 10,000: 327.85 + 10,000 × 12.15 % × 31/365 = 103.19, + 40; 5,000 × 12.15 % × 31/365 = 51.60 + 40
        self.assertAlmostEqual(mine.amount_total, 327.85 + 103.19 + 40 + 51.60 + 40)
        self.assertEqual(len(mine.invoice_line_ids), 5)
        theirs = penalty_invoices - mine
        self.assertEqual(theirs.partner_id, other)
        self.assertAlmostEqual(theirs.amount_total, 10.32 + 40)  # 1,000 × 12.15 % × 31/365 = 10.32

    def test_insolvency_and_consumer_get_no_indemnity_line(self):
        insolvent = self._customer("Insolvent", insolvency=True)
        invoice = self._late_invoice(1000, D("2025-07-31"), insolvent)
        penalty = invoice._create_late_payment_invoices(D("2025-08-30"))
        self.assertEqual(
            self._lines(penalty), [(self.env.ref("recouvrement_credit.product_late_payment_interest"), 9.99)]
        )

    def test_fees_charged_once(self):
        invoice = self._late_invoice(1000, D("2025-07-31"))
        fees = [{"label": "Reminder fee (level 2)", "amount": 15.0}]
        with patch.object(
            type(self.env["account.move"]), "_get_late_payment_fees", lambda self, on_date: fees
        ):
            first = invoice._create_late_payment_invoices(D("2025-08-30"))
            second = invoice._create_late_payment_invoices(D("2025-09-30"))
        self.assertAlmostEqual(first.amount_total, 9.99 + 40 + 15)
        # 1,000 × 12.15 % × 31/365 = 10.32
        self.assertAlmostEqual(second.amount_total, 10.32)

    def test_configured_account_and_journal(self):
        account = self.company_data["default_account_revenue"].copy({"code": "763100", "name": "Penalties"})
        journal = self.company_data["default_journal_sale"].copy({"name": "Penalties", "code": "PEN"})
        self.company.late_payment_interest_account_id = account
        self.company.late_payment_journal_id = journal
        invoice = self._late_invoice(1000, D("2025-07-31"))
        penalty = invoice._create_late_payment_invoices(D("2025-08-30"))
        self.assertEqual(penalty.journal_id, journal)
        self.assertEqual(penalty.invoice_line_ids[0].account_id, account)

    @freeze_time("2025-08-30")
    def test_actions(self):
        invoice = self._late_invoice(1000, D("2025-07-31"))
        action = invoice.action_create_late_payment_invoices()
        self.assertEqual(action["res_model"], "account.move")
        with self.assertRaises(UserError):
            invoice.action_create_late_payment_invoices()  # everything up to today is charged
        self.assertTrue(self.env["recouvrement.penalty.charge"].search([("move_id", "=", invoice.id)]))

    @freeze_time("2025-08-30")
    def test_partner_action(self):
        invoice = self._late_invoice(1000, D("2025-07-31"))
        self.customer.action_create_late_payment_invoices()
        self.assertTrue(self.env["recouvrement.penalty.charge"].search([("move_id", "=", invoice.id)]))


@tagged("post_install", "-at_install")
class TestPenaltyRates(PenaltyCommon):
    def test_bad_input(self):
        """Each refused, in its own savepoint as a request would roll back, and nothing is left."""
        LegalRate = self.env["recouvrement.legal.rate"]
        with self.assertRaisesRegex(ValidationError, "negative"), self.env.cr.savepoint():
            LegalRate.create(
                {"date_from": "2026-07-01", "date_to": "2026-12-31", "rate_individual": -1, "rate_other": 2}
            )
        with self.assertRaisesRegex(ValidationError, "ends before it starts"), self.env.cr.savepoint():
            LegalRate.create(
                {"date_from": "2026-12-31", "date_to": "2026-07-01", "rate_individual": 1, "rate_other": 2}
            )
        with self.assertRaisesRegex(ValidationError, "overlap"), self.env.cr.savepoint():
            LegalRate.create(
                {"date_from": "2026-06-01", "date_to": "2026-12-31", "rate_individual": 1, "rate_other": 2}
            )
        with self.assertRaisesRegex(ValidationError, "negative"), self.env.cr.savepoint():
            self.env["recouvrement.ecb.rate"].create({"date": "2026-03-11", "rate": -0.5})
        with self.assertRaisesRegex(ValidationError, "negative"), self.env.cr.savepoint():
            self.policy_b2b.copy({"ecb_margin": -1})
        with self.assertRaisesRegex(ValidationError, "consumer"), self.env.cr.savepoint():
            self.policy_consumer.indemnity_amount = 40
            self.policy_consumer.flush_recordset()
        self.env.invalidate_all()
        self.assertFalse(LegalRate.search([("date_from", ">=", "2026-06-01")]))
        self.assertFalse(self.policy_consumer.indemnity_amount)

    def test_installed_rates(self):
        legal = self.env.ref("recouvrement_credit.legal_rate_2023_s2")
        self.assertEqual((legal.name, legal.rate_individual, legal.rate_other), ("2023-S2", 6.82, 4.22))
        Ecb = self.env["recouvrement.ecb.rate"]
        self.assertEqual(Ecb._get_rate(D("2025-07-01")), 2.15)
        self.assertEqual(Ecb._get_rate(D("2024-01-01")), 4.50)
        # The derived table of the reference (2.3): ECB + 10 per semester
        policy = self.policy_b2b
        for day, rate in [
            ("2023-01-01", 12.5),
            ("2023-07-01", 14.0),
            ("2024-07-01", 14.25),
            ("2026-01-01", 12.15),
        ]:
            self.assertAlmostEqual(policy._get_rate(D(day), D(day)), rate)

    def test_floor_warning_on_the_form(self):
        policy = self.policy_contractual.copy({"fixed_rate": 5.0})
        with freeze_time("2025-08-01"):
            policy.invalidate_recordset(["floor_warning"])
            self.assertIn("8.28", policy.floor_warning)
        self.assertFalse(self.policy_b2b.floor_warning)

    def test_security(self):
        self.assert_models_secured("recouvrement_credit")
        rate = self.env.ref("recouvrement_credit.legal_rate_2025_s2")
        self.assertEqual(rate.with_user(self.collector).rate_other, 2.76)
        with self.assertRaises(AccessError):
            rate.with_user(self.collector).rate_other = 3.0
        with self.assertRaises(AccessError):
            self.policy_b2b.with_user(self.collector).ecb_margin = 9
        accountant = self._new_user("chief_accountant", "account.group_account_manager")
        rate.with_user(accountant).rate_other = 2.77
        self.policy_b2b.with_user(self.manager).ecb_margin = 10
        self.assertEqual(rate.rate_other, 2.77)
        invoice = self._late_invoice(1000, D("2025-07-31"))
        portal = self._new_user("portal_penalty", "base.group_portal")
        with self.assertRaises(AccessError):
            invoice.with_user(portal).get_late_payment_penalty(D("2025-08-30"))
