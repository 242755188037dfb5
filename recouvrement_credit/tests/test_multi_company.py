"""A user allowed in one company only, working on a customer who also has a credit position in
another company: every path that refreshes the customer's positions works for that user, and the
other company's figures stay its own."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSingleCompanyUser(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Filiale Lyon")["company"]
        cls.company_b.account_use_credit_limit = True
        # The customer's settings in company B differ from those in company A (limit 1000).
        cls.customer.with_company(cls.company_b).write(
            {"credit_limit": 500.0, "credit_blocked": True, "credit_block_reason": "Dossier à l'étude"}
        )
        cls._rule("over_limit", invoice_effect="warning")
        cls._rule("manual_block")
        invoice_b = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": TODAY,
                    "invoice_line_ids": [
                        Command.create({"name": "Pose", "price_unit": 900.0, "tax_ids": []})
                    ],
                }
            )
        )
        invoice_b.action_post()
        cls.billing = cls._new_user("billing", "account.group_account_invoice")
        cls.seller = cls._new_user(
            "seller", "sales_team.group_sale_salesman_all_leads,account.group_account_invoice"
        )
        for user in (cls.manager, cls.collector, cls.salesman, cls.billing, cls.seller):
            assert user.company_ids == cls.company, "the users work in company A only"

    def setUp(self):
        super().setUp()
        self.invoice_a = self._invoice(300.0, days_late=20)
        # What the fixtures changed is refreshed now, as their commit would: what each test commits
        # is then refreshed by the test's user alone.
        self.env.cr.precommit.run()
        self.position_b = self.positions.search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company_b.id)]
        )
        self._mark_b_stale()

    def _mark_b_stale(self):
        self.position_b.sudo().refresh_date = False  # positions are written by the system only

    def _commit(self):
        """What happens when the user's transaction commits."""
        self.env.cr.flush()

    def _assert_company_b_intact(self, refreshed=True):
        """Company B's position was refreshed (when REFRESHED) with company B's figures and settings."""
        self.position_b.invalidate_recordset()
        if refreshed:
            self.assertTrue(self.position_b.refresh_date, "company B's position was refreshed too")
        self.assertRecordValues(
            self.position_b,
            [
                {
                    "exposure": 900.0,
                    "credit_limit": 500.0,
                    "status": "blocked",
                    "sale_effect": "block",
                    "invoice_effect": "warning",
                }
            ],
        )
        self.assertIn("Dossier à l'étude", self.position_b.reasons)

    def _position_a(self):
        return self.positions.search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )

    def test_dispute(self):
        self.env["recouvrement.dispute"].with_user(self.collector).create({"move_id": self.invoice_a.id})
        self._commit()
        self.assertEqual(self._position_a().open_dispute_count, 1)
        self._assert_company_b_intact()

    def test_exception_granted_and_revoked(self):
        exception = (
            self.env["recouvrement.credit.exception"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scope": "partner",
                    "date_end": TODAY + timedelta(days=10),
                    "reason": "Client historique",
                }
            )
        )
        self._commit()
        self.assertTrue(self._position_a().has_valid_exceptions)
        self._assert_company_b_intact()
        exception.with_user(self.manager).action_revoke()
        self._commit()
        self.assertFalse(self._position_a().has_valid_exceptions)
        self._assert_company_b_intact()

    def test_credit_fields(self):
        self.customer.with_user(self.manager).write({"credit_limit": 200.0})
        self._commit()
        self.assertRecordValues(self._position_a(), [{"credit_limit": 200.0, "status": "blocked"}])
        self._assert_company_b_intact()

    def test_refresh_button(self):
        self.customer.with_user(self.collector).action_refresh_credit_position()
        self._assert_company_b_intact()

    def test_invoice_post(self):
        invoice = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": TODAY,
                    "invoice_line_ids": [
                        Command.create({"name": "Pain", "price_unit": 100.0, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self._commit()
        self.assertEqual(self._position_a().exposure, 400.0)
        self._assert_company_b_intact()

    def test_payment_and_reconciliation(self):
        payment = (
            self.env["account.payment"]
            .with_user(self.billing)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 300.0,
                    "date": TODAY,
                }
            )
        )
        payment.action_post()
        self._commit()
        self.assertEqual(self._position_a().exposure, 0.0, "300 open, 300 unapplied")
        self._assert_company_b_intact()
        self._mark_b_stale()
        lines = (payment.move_id | self.invoice_a).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        lines.with_user(self.billing).reconcile()
        self.assertEqual(self.invoice_a.payment_state, "paid")
        self._commit()
        self.assertRecordValues(self._position_a(), [{"amount_open_invoices": 0.0, "exposure": 0.0}])
        self._assert_company_b_intact()

    def test_sale_order(self):
        order = (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "price_unit": 200.0, "tax_id": []})
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._commit()
        self.assertEqual(self._position_a().exposure, 500.0)
        self._assert_company_b_intact()

    def test_dunning_run(self):
        preview = self.env["recouvrement.dunning.preview"].with_user(self.collector).create({})
        self.assertEqual(preview.company_id, self.company)
        preview.with_user(self.manager).action_run()
        self._commit()
        self.assertTrue(self._position_a().dunning_level)
        self._assert_company_b_intact()

    def test_promise_and_plan_updates(self):
        """Promises and plans change no position themselves; the payments they follow do, and their
        states are settled as the collector's run does."""
        receivable = self.invoice_a.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        promise = (
            self.env["recouvrement.promise"]
            .with_user(self.collector)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_line_ids": [Command.set(receivable.ids)],
                    "amount": 100.0,
                    "date": TODAY + timedelta(days=7),
                }
            )
        )
        action = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_user(self.collector)
            .with_context(active_model="account.move", active_ids=self.invoice_a.ids)
            .create({"date_first": date(2026, 7, 1), "instalment_count": 2})
            .action_create_plan()
        )
        plan = self.env["recouvrement.payment.plan"].browse(action["res_id"])
        plan.with_user(self.collector).action_confirm()
        self._commit()
        self._assert_company_b_intact(refreshed=False)
        payment = (
            self.env["account.payment"]
            .with_user(self.billing)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 120.0,
                    "date": TODAY,
                }
            )
        )
        payment.action_post()
        (receivable | payment.move_id.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).with_user(self.billing).reconcile()
        self._commit()
        self.assertEqual(self._position_a().exposure, 180.0)
        self._assert_company_b_intact()
        self._mark_b_stale()
        with freeze_time(TODAY + timedelta(days=45)):
            today = fields.Date.today()
            self.env["recouvrement.promise"].with_user(self.collector)._update_states(today)
            self.env["recouvrement.payment.plan"].with_user(self.collector)._update_states(today)
            self._commit()
        self.assertEqual(promise.state, "kept")
        self.assertEqual(plan.state, "broken")
        self._assert_company_b_intact(refreshed=False)
