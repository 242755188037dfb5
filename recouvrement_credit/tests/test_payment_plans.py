from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPaymentPlans(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plans = cls.env["recouvrement.payment.plan"]
        cls.company.dunning_plan_grace_days = 5

    def _wizard(self, invoices, **values):
        return (
            self.env["recouvrement.payment.plan.wizard"]
            .with_user(self.collector)
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"date_first": date(2026, 7, 1), **values})
        )

    def _plan(self, invoices, **values):
        action = self._wizard(invoices, **values).action_create_plan()
        return self.plans.browse(action["res_id"])

    def test_wizard_splits_and_last_instalment_absorbs_rounding(self):
        plan = self._plan(self._invoice(1000, days_late=30))
        self.assertRegex(plan.name, r"^ECH/2026/\d{4}$")
        self.assertRecordValues(
            plan.instalment_ids,
            [
                {"date": date(2026, 7, 1), "amount": 333.33},
                {"date": date(2026, 8, 1), "amount": 333.33},
                {"date": date(2026, 9, 1), "amount": 333.34},
            ],
        )
        self.assertRecordValues(
            plan, [{"state": "draft", "partner_id": self.customer.id, "grace_days": 5, "amount_due": 1000.0}]
        )
        plan.with_user(self.collector).action_confirm()
        self.assertRecordValues(plan, [{"state": "active", "amount_total": 1000.0, "amount_paid": 0.0}])

    def test_intervals(self):
        invoices = self._invoice(600, days_late=30) | self._invoice(300, days_late=10)
        weekly = self._plan(invoices, interval="week", instalment_count=2)
        self.assertEqual(weekly.instalment_ids.mapped("date"), [date(2026, 7, 1), date(2026, 7, 8)])
        self.assertEqual(weekly.instalment_ids.mapped("amount"), [450.0, 450.0])
        every_ten = self._plan(invoices, interval="days", interval_days=10, instalment_count=2)
        self.assertEqual(every_ten.instalment_ids.mapped("date"), [date(2026, 7, 1), date(2026, 7, 11)])

    def test_total_never_more_than_residuals(self):
        plan = self._plan(self._invoice(1000, days_late=30))
        plan.instalment_ids[-1].amount = 400.0
        with self.assertRaisesRegex(ValidationError, "add up to exactly"):
            plan.action_confirm()
        self.assertEqual(plan.state, "draft")
        plan.instalment_ids[-1].amount = 333.34
        plan.instalment_ids[1].date = date(2026, 7, 1)
        with self.assertRaisesRegex(ValidationError, "each after the one before"):
            plan.action_confirm()
        plan.instalment_ids[1].date = date(2026, 8, 1)
        plan.instalment_ids[0].date = TODAY - timedelta(days=1)
        with self.assertRaisesRegex(ValidationError, "on or after the plan date"):
            plan.action_confirm()

    def test_wizard_bad_input(self):
        invoice = self._invoice(1000, days_late=30)
        with self.assertRaisesRegex(UserError, "at least one instalment"):
            self._wizard(invoice, instalment_count=0).action_create_plan()
        other = self._invoice(
            100, partner=self.env["res.partner"].create({"name": "Other", "is_company": True})
        )
        with self.assertRaisesRegex(UserError, "one customer"):
            self._wizard(invoice | other)

    def test_payments_matched_to_instalments_then_done(self):
        invoice = self._invoice(900, days_late=30)
        plan = self._plan(invoice)
        plan.action_confirm()
        self._pay(250, invoice=invoice)
        self.assertEqual(plan.amount_paid, 250.0)
        self.assertEqual(plan.amount_remaining, 650.0)
        self.assertEqual(plan.instalment_ids.mapped("amount_paid"), [250.0, 0.0, 0.0])
        self.assertEqual(plan.instalment_ids.mapped("state"), ["pending", "pending", "pending"])
        self._pay(200, invoice=invoice)
        self.assertEqual(plan.instalment_ids.mapped("amount_paid"), [300.0, 150.0, 0.0])
        self.assertEqual(plan.instalment_ids[0].state, "paid")
        self.plans._update_states(date(2026, 8, 6))  # second instalment half paid, within its grace
        self.assertEqual(plan.state, "active")
        self._pay(450, invoice=invoice)
        self.plans._update_states(date(2026, 8, 7))
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.amount_remaining, 0.0)

    def test_broken_after_grace(self):
        invoice = self._invoice(900, days_late=30)
        plan = self._plan(invoice)
        plan.action_confirm()
        self._pay(300, invoice=invoice)
        self.plans._update_states(date(2026, 8, 6))
        self.assertEqual(plan.state, "active")
        self.plans._update_states(date(2026, 8, 7))
        self.assertRecordValues(plan, [{"state": "broken", "date_broken": date(2026, 8, 7)}])
        self.assertEqual(plan.activity_ids.user_id, self.collector)
        self.assertIn("broken", plan.message_ids[0].body)

    def test_items_in_one_active_plan_only(self):
        invoice = self._invoice(900, days_late=30)
        self._plan(invoice).action_confirm()
        with self.assertRaisesRegex(ValidationError, "already in the active payment plan"):
            self._plan(invoice).action_confirm()

    def test_from_the_customer(self):
        self._invoice(600, days_late=30)
        self._invoice(300)
        action = self.customer.with_user(self.collector).action_create_payment_plan()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.collector)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.amount_total, 900.0)
        self.assertEqual(wizard.partner_id, self.customer)

    def test_access_rights(self):
        plan = self._plan(self._invoice(900, days_late=30))
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).unlink()
        plan.with_user(self.collector).action_confirm()
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).unlink()
        with self.assertRaisesRegex(UserError, "Only draft payment plans"):
            plan.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            plan.instalment_ids[0].with_user(self.collector).amount = 1.0
        self.assertEqual(plan.with_user(self.salesman).state, "active")
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).write({"notes": "x"})
        draft = self._plan(self._invoice(100, days_late=30))
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_wizard_and_plan_forms(self):
        invoice = self._invoice(1000, days_late=30)
        wizard_model = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_user(self.collector)
            .with_context(active_model="account.move", active_ids=invoice.ids)
        )
        with Form(wizard_model) as form:
            self.assertEqual(form.amount_total, 1000.0)
            form.instalment_count = 4
            form.date_first = date(2026, 7, 1)
        plan = self.plans.browse(form.save().action_create_plan()["res_id"])
        with Form(plan.with_user(self.collector)) as form:
            with form.instalment_ids.edit(3) as line:
                line.amount = 200.0
            with form.instalment_ids.new() as line:
                line.date = date(2026, 11, 1)
                line.amount = 50.0
        self.assertEqual(plan.amount_scheduled, 1000.0)
        plan.action_confirm()
        self.assertEqual(len(plan.instalment_ids), 5)
