from freezegun import freeze_time

from odoo.tests import tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditPosition(CreditCommon):
    def test_exposure_parts(self):
        self._invoice(1000)
        self._invoice(300, post=False)
        self._order(500).action_confirm()
        self._pay(200)
        self._invoice(100, move_type="out_refund")
        position = self._position()
        self.assertRecordValues(
            position,
            [
                {
                    "amount_open_invoices": 1000.0,
                    "amount_draft_invoices": 300.0,
                    "amount_orders_to_invoice": 500.0,
                    "amount_unapplied_credits": -300.0,
                    "exposure": 1500.0,
                    "credit_limit": 1000.0,
                    "available_credit": -500.0,
                    "limit_usage": 150.0,
                }
            ],
        )

    def test_partial_payment_counts_the_residual(self):
        invoice = self._invoice(1000, days_late=10)
        self._pay(400, invoice=invoice)
        position = self._position()
        self.assertEqual(position.amount_open_invoices, 600.0)
        self.assertEqual(position.amount_overdue, 600.0)

    def test_overdue_facts(self):
        self._invoice(700, days_late=40)
        self._invoice(300, days_late=10)
        self._invoice(500, days_late=-5)
        position = self._position()
        self.assertRecordValues(
            position,
            [{"amount_overdue": 1000.0, "overdue_invoice_count": 2, "oldest_overdue_days": 40}],
        )
        # weighted by amount: (700 * 40 + 300 * 10) / 1000
        self.assertAlmostEqual(position.average_days_late, 31.0)

    def test_contacts_count_for_their_company(self):
        contact = self.env["res.partner"].create({"name": "Comptable", "parent_id": self.customer.id})
        self._invoice(250, partner=contact)
        self.assertEqual(self._position().exposure, 250.0)

    def test_foreign_currency_counts_at_its_booked_company_value(self):
        other = self.setup_other_currency("EUR", rates=[("2026-01-01", 3.0), ("2026-06-01", 2.0)])
        self._invoice(300, currency=other)  # dated 2026-05-16: 3 EUR per company unit
        self.assertEqual(self._position().exposure, 100.0)
        self.env["res.currency.rate"].create({"name": "2026-06-10", "rate": 4.0, "currency_id": other.id})
        self.assertEqual(self._position().exposure, 100.0)

    def test_companies_are_isolated(self):
        other_company = self.setup_other_company()["company"]
        self._invoice(400)
        invoice = (
            self.env["account.move"]
            .with_company(other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": TODAY,
                    "invoice_line_ids": [(0, 0, {"name": "Service", "price_unit": 900, "tax_ids": []})],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(self._position().exposure, 400.0)
        self.assertEqual(self._position(company=other_company).exposure, 900.0)

    def test_group_exposure_spans_parent_and_subsidiaries(self):
        subsidiary = self.env["res.partner"].create(
            {"name": "Boulangerie Test Nord", "is_company": True, "parent_id": self.customer.id}
        )
        self._invoice(400)
        self._invoice(600, partner=subsidiary)
        self.positions._refresh(self.customer | subsidiary, self.company)
        positions = self.positions.search([("partner_id", "in", (self.customer | subsidiary).ids)])
        self.assertEqual(positions.mapped("group_exposure"), [1000.0, 1000.0])

    def test_positions_refresh_when_the_transaction_commits(self):
        self._invoice(800)
        self.env.cr.precommit.run()
        position = self.positions.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(position.exposure, 800.0)

    def test_daily_refresh_catches_up_with_time(self):
        self._rule("overdue_days", days=30)
        self._invoice(500, days_late=25)
        self.assertEqual(self._position().status, "ok")
        with freeze_time("2026-06-25"):
            self.positions._cron_refresh()
            position = self.positions.search([("partner_id", "=", self.customer.id)])
            self.assertEqual(position.status, "blocked")
            self.assertEqual(position.oldest_overdue_days, 35)
