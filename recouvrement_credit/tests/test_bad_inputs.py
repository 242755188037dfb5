"""Bad input is refused with a clear, translated message, and changes nothing (issue #9, defects 3
and 4)."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_date

from ..models import recouvrement_dunning_run as dunning_run
from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestBadInputs(DunningCommon):
    """Input accepted before and refused now."""

    def test_level_created_without_any_channel(self):
        levels = self.env["recouvrement.dunning.level"]
        count = levels.search_count([])
        with self.assertRaisesRegex(ValidationError, "choose at least one channel"):
            levels.create(
                {"scenario_id": self.standard.id, "name": "J+200", "day_offset": 200, "sequence": 200}
            )
        self.assertEqual(levels.search_count([]), count)

    def test_plan_wizard_refuses_a_first_instalment_in_the_past(self):
        invoice = self._invoice(900, days_late=30)
        plans = self.env["recouvrement.payment.plan"]
        wizard = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_user(self.collector)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"date_first": TODAY - timedelta(days=1)})
        )
        with self.assertRaisesRegex(UserError, "already past"):
            wizard.action_create_plan()
        self.assertFalse(plans.search([("partner_id", "=", self.customer.id)]))

    def test_plan_confirmed_with_instalments_already_past(self):
        invoice = self._invoice(900, days_late=30)
        with freeze_time("2026-06-01"):  # drafted two weeks ago, from then on
            action = (
                self.env["recouvrement.payment.plan.wizard"]
                .with_user(self.collector)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"date_first": date(2026, 6, 5), "interval": "month"})
                .action_create_plan()
            )
        plan = self.env["recouvrement.payment.plan"].browse(action["res_id"])
        with self.assertRaisesRegex(ValidationError, "already past"):
            plan.with_user(self.collector).action_confirm()
        self.assertRecordValues(plan, [{"state": "draft", "amount_total": 0.0}])
        plan.instalment_ids[0].date = TODAY
        plan.with_user(self.collector).action_confirm()
        self.assertEqual(plan.state, "active")

    def test_credit_exception_already_expired(self):
        exceptions = self.env["recouvrement.credit.exception"]
        with self.assertRaisesRegex(ValidationError, "already passed"):
            exceptions.with_user(self.manager).create(
                {
                    "partner_id": self.customer.id,
                    "scope": "partner",
                    "date_end": TODAY - timedelta(days=1),
                    "reason": "Client historique",
                }
            )
        self.assertFalse(exceptions.search([("partner_id", "=", self.customer.id)]))
        exception = exceptions.with_user(self.manager).create(
            {
                "partner_id": self.customer.id,
                "scope": "partner",
                "date_end": TODAY,
                "reason": "Client historique",
            }
        )
        with freeze_time(TODAY + timedelta(days=5)):
            exception.with_user(self.manager).action_revoke()  # an expired exception can still be revoked
        self.assertFalse(exception.active)

    def test_run_now_without_any_scenario(self):
        self._invoice(300.0, days_late=3)
        self.company.dunning_scenario_id = False
        runs = self.env["recouvrement.dunning.run"]
        with self.assertRaisesRegex(UserError, "has no dunning scenario"):
            self.env["recouvrement.dunning.preview"].with_user(self.manager).with_company(
                self.company
            ).create({"company_id": self.company.id})
        run = runs._get_or_create(self.company, TODAY)
        with self.assertRaisesRegex(UserError, "has no dunning scenario"):
            run._generate()
        self.assertFalse(run.communication_ids)
        run.sudo().unlink()  # runs are never deleted by users
        with patch.object(dunning_run, "_logger") as logger:
            runs.sudo()._cron_run(batch_size=10)  # as the job does (root)
        self.assertIn(
            "Dunning run of %s skipped: the company has no dunning scenario.",
            [call.args[0] for call in logger.info.call_args_list if self.company.name in call.args],
        )
        self.assertFalse(runs.search([("company_id", "=", self.company.id)]))
        # a customer's own scenario is enough for the company's run
        self.customer.with_company(self.company).dunning_scenario_id = self.standard
        self.assertEqual(len(self._run(TODAY)), 1)

    def test_dispute_on_a_fully_paid_invoice(self):
        invoice = self._invoice(1000, days_late=10)
        self._pay(1000, invoice=invoice)
        disputes = self.env["recouvrement.dispute"]
        with self.assertRaisesRegex(ValidationError, "fully paid"):
            disputes.with_user(self.collector).create({"move_id": invoice.id, "category": "quality"})
        self.assertFalse(disputes.search([("move_id", "=", invoice.id)]))


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestClearErrors(DunningCommon):
    """Refusals that now say what is wrong in business words."""

    def test_negative_level_fee_is_a_message_not_a_bad_query(self):
        level = self.levels[1]
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            with self.assertRaisesRegex(ValidationError, "fixed fee cannot be negative"):
                level.fee_amount = -5.0
            with self.assertRaisesRegex(ValidationError, "at least 1"):
                level.min_days_since_last = 0
        self.assertEqual(level.fee_amount, 0.0)

    def test_duplicate_ecb_date_is_a_message_not_a_bad_query(self):
        rates = self.env["recouvrement.ecb.rate"]
        existing = rates.search([], limit=1)
        with (
            self.assertNoLogs("odoo.sql_db", "ERROR"),
            self.assertRaisesRegex(ValidationError, "already an ECB rate from"),
        ):
            rates.create({"date": existing.date, "rate": 9.0})
        self.assertEqual(rates.search_count([("date", "=", existing.date)]), 1)

    def test_plan_on_a_draft_invoice_names_it(self):
        draft = self._invoice(500, post=False)
        with self.assertRaises(ValidationError) as caught:
            self.env["recouvrement.payment.plan"].with_user(self.collector).create(
                {"partner_id": self.customer.id, "move_line_ids": [(6, 0, draft.line_ids.ids)]}
            )
        message = str(caught.exception)
        self.assertIn(draft.display_name, message)
        self.assertIn("not posted", message)
        self.assertNotIn("/ is not", message)

    def test_overlapping_legal_rate_names_both_periods(self):
        rates = self.env["recouvrement.legal.rate"]
        existing = rates.search([], limit=1)
        start = existing.date_from + timedelta(days=31)
        with self.assertRaises(ValidationError) as caught:
            rates.create(
                {"date_from": start, "date_to": existing.date_to, "rate_individual": 1.0, "rate_other": 1.0}
            )
        message = str(caught.exception)
        for day in (start, existing.date_to, existing.date_from):
            self.assertIn(format_date(self.env, day), message)

    def test_credit_managers_get_the_business_reason_for_deletions(self):
        exception = (
            self.env["recouvrement.credit.exception"]
            .with_user(self.manager)
            .create({"partner_id": self.customer.id, "scope": "partner", "date_end": TODAY, "reason": "Test"})
        )
        self._invoice(300.0, days_late=3)
        communication = self._run(TODAY)
        for record, reason in ((exception, "revoke them instead"), (communication, "never deleted")):
            with self.assertRaises(UserError) as caught:
                record.with_user(self.manager).unlink()
            self.assertNotIsInstance(caught.exception, AccessError)
            self.assertIn(reason, str(caught.exception))
            self.assertTrue(record.exists())
