from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPromises(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.promises = cls.env["recouvrement.promise"]
        cls.company.dunning_promise_grace_days = 3

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def _promise(self, invoices, **values):
        lines = sum((self._receivable(invoice) for invoice in invoices), self.env["account.move.line"])
        return self.promises.with_user(self.collector).create(
            {
                "partner_id": self.customer.id,
                "move_line_ids": [(6, 0, lines.ids)],
                "date": TODAY + timedelta(days=7),
                **values,
            }
        )

    def test_defaults(self):
        invoice = self._invoice(1000, days_late=20)
        promise = self._promise([invoice])
        self.assertRecordValues(
            promise,
            [
                {
                    "amount": 1000.0,
                    "amount_residual_start": 1000.0,
                    "grace_days": 3,
                    "user_id": self.collector.id,
                    "state": "open",
                    "channel": "phone",
                    "currency_id": self.currency.id,
                }
            ],
        )
        self.assertIn("Promise to pay", self.customer.message_ids[0].body)

    def test_bad_input(self):
        invoice = self._invoice(1000, days_late=20)
        with self.assertRaisesRegex(ValidationError, "cannot exceed what is left to pay"):
            self._promise([invoice], amount=1000.01)
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            self._promise([invoice], amount=0)
        with self.assertRaisesRegex(ValidationError, "cannot be in the past"):
            self._promise([invoice], date=TODAY - timedelta(days=1))
        other = self.env["res.partner"].create({"name": "Other customer", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "not a posted receivable item"):
            self._promise([invoice], partner_id=other.id)
        self.assertFalse(self.promises.search([]))

    def test_kept_when_paid_before_the_date(self):
        first, second = self._invoice(1000, days_late=20), self._invoice(500, days_late=5)
        promise = self._promise([first, second], amount=800)
        self._pay(500, invoice=first)
        self.promises._update_states(TODAY + timedelta(days=1))
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.amount_paid, 500.0)
        self._pay(300, invoice=second)
        self.promises._update_states(TODAY + timedelta(days=2))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(promise.date_broken)

    def test_grace_respected_then_broken(self):
        invoice = self._invoice(1000, days_late=20)
        promise = self._promise([invoice])
        self._pay(200, invoice=invoice)
        grace_end = promise.date + timedelta(days=3)
        self.promises._update_states(grace_end)
        self.assertEqual(promise.state, "open")
        self.promises._update_states(grace_end + timedelta(days=1))
        self.assertRecordValues(promise, [{"state": "broken", "date_broken": grace_end + timedelta(days=1)}])
        activity = promise.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn("broken", promise.message_ids[0].body)
        # a broken promise stays broken: late payments do not turn it into a kept one
        self._pay(800, invoice=invoice)
        self.promises._update_states(grace_end + timedelta(days=2))
        self.assertEqual(promise.state, "broken")

    def test_grace_days_follow_the_company_setting(self):
        self.company.dunning_promise_grace_days = 10
        promise = self._promise([self._invoice(1000)])
        self.assertEqual(promise.grace_days, 10)
        self.promises._update_states(promise.date + timedelta(days=10))
        self.assertEqual(promise.state, "open")

    def test_cancel_never_delete(self):
        promise = self._promise([self._invoice(1000)])
        with self.assertRaises(AccessError):
            promise.with_user(self.collector).unlink()
        with self.assertRaises(UserError):
            promise.sudo().unlink()  # not even the system deletes a promise
        promise.with_user(self.collector).action_cancel()
        self.promises._update_states(TODAY + timedelta(days=30))
        self.assertEqual(promise.state, "cancelled")

    def test_record_actions_from_invoice_and_customer(self):
        invoice = self._invoice(1000, days_late=5)
        self._invoice(300)
        action = invoice.with_user(self.collector).action_record_promise()
        self.assertEqual(action["context"]["default_move_line_ids"], self._receivable(invoice).ids)
        action = self.customer.with_user(self.collector).action_record_promise()
        self.assertEqual(len(action["context"]["default_move_line_ids"]), 2)
        promise = self.promises.with_user(self.collector).with_context(**action["context"]).create({})
        self.assertEqual(promise.amount, 1300.0)
        self.assertEqual(self.customer.promise_count, 1)

    def test_salesman_reads_only(self):
        promise = self._promise([self._invoice(1000)])
        self.assertEqual(promise.with_user(self.salesman).state, "open")
        with self.assertRaises(AccessError):
            promise.with_user(self.salesman).write({"amount": 10})

    def test_form_from_the_invoice(self):
        invoice = self._invoice(1000, days_late=5)
        action = invoice.with_user(self.collector).action_record_promise()
        promises = self.promises.with_user(self.collector).with_context(**action["context"])
        with Form(promises) as form:
            self.assertEqual(form.amount, 1000.0)
            form.amount = 400.0
            form.date = TODAY + timedelta(days=10)
            form.channel = "email"
        promise = form.save()
        self.assertRecordValues(promise, [{"amount": 400.0, "partner_id": self.customer.id, "state": "open"}])

    def test_error_in_french_is_still_a_validation_error(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        invoice = self._invoice(1000, days_late=20)
        with self.assertRaises(ValidationError):
            self._promise([invoice], amount=-5).with_context(lang="fr_FR")
        with self.assertRaisesRegex(ValidationError, "montant positif"):
            self.promises.with_context(lang="fr_FR").create(
                {
                    "partner_id": self.customer.id,
                    "move_line_ids": [(6, 0, self._receivable(invoice).ids)],
                    "date": TODAY,
                    "amount": -5,
                }
            )

    def test_grace_days_in_settings(self):
        with Form(self.env["res.config.settings"].with_company(self.company)) as settings:
            settings.dunning_promise_grace_days = 7
            settings.dunning_plan_grace_days = 9
        self.assertEqual(
            (self.company.dunning_promise_grace_days, self.company.dunning_plan_grace_days), (7, 9)
        )
        with self.assertRaises(ValidationError):
            self.company.dunning_promise_grace_days = -1
