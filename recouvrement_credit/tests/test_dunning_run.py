from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.recouvrement_credit_position import REFRESH_KEY
from .credit_common import TODAY
from .dunning_common import DunningCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningLevels(DunningCommon):
    def test_standard_calendar(self):
        """J-5 courtesy email, J+1 email, J+7 call, J+15 letter + email, J+30 formal notice by
        registered letter, J+45 legal handover (reviewed): each reached on its day, once."""
        invoice = self._invoice(1000.0, days_late=-5)  # due on TODAY + 5
        due = TODAY + timedelta(days=5)
        expected = {-5: 0, 1: 1, 7: 2, 15: 3, 30: 4, 45: 5}
        for offset, number in expected.items():
            when = due + timedelta(days=offset)
            self.assertFalse(self._run(when - timedelta(days=1)), f"nothing due the day before J{offset:+d}")
            communications = self._run(when)
            self.assertEqual(len(communications), 1, f"one reminder at J{offset:+d}")
            self.assertEqual(communications.level_id, self.levels[offset])
            self.assertEqual(communications.level, number)
            self.assertEqual(communications.line_ids.move_id, invoice)
            self.assertFalse(self._run(when), "running again the same day creates nothing")
        line = invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        self.assertEqual(line.dunning_level_id, self.levels[45])
        self.assertEqual(self._position().dunning_level, 5, "the credit position sees the level")

    def test_late_item_climbs_one_level_at_a_time(self):
        """An item found 50 days late starts at the first level after the due date, then waits the
        level's minimum days between reminders: the formal notice is never skipped."""
        self._invoice(800.0, days_late=50)
        self.assertEqual(self._run(TODAY).level_id, self.levels[1])
        self.assertFalse(self._run(day(1)))
        self.assertEqual(self._run(day(5)).level_id, self.levels[7])
        self.assertEqual(self._run(day(10)).level_id, self.levels[15])
        self.assertEqual(self._run(day(15)).level_id, self.levels[30])

    def test_one_reminder_per_customer_and_currency_highest_level(self):
        old = self._invoice(300.0, days_late=20)
        self._run(day(-14))  # J+1 for OLD only
        new = self._invoice(200.0, days_late=2)
        other_currency = self._invoice(150.0, days_late=2, currency=self.other_currency)
        communications = self._run(TODAY)
        self.assertEqual(len(communications), 2, "one per currency")
        in_euros = communications.filtered(lambda c: c.currency_id == self.currency)
        self.assertEqual(in_euros.line_ids.move_id, old | new)
        self.assertEqual(in_euros.level_id, self.levels[7], "the highest level among the items decides")
        self.assertEqual(in_euros.amount_due, 500.0)
        self.assertEqual(
            communications.filtered(lambda c: c.currency_id == self.other_currency).line_ids.move_id,
            other_currency,
        )

    def test_partial_payment_and_instalments(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Two instalments",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": day(-40),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 1000.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        self._pay(100.0, invoice=invoice)  # goes to the first instalment
        communication = self._run(TODAY)
        lines = communication.line_ids
        self.assertEqual(len(lines), 1, "only the first instalment is late")
        self.assertEqual(lines.amount_residual, 400.0, "reminded for its residual")
        self.assertEqual(lines.days_late, 40)
        second = self._run(day(30)).line_ids
        self.assertEqual(second.mapped("days_late"), [70, 10], "each instalment at its own level")
        self.assertEqual(second.mapped("level_id"), self.levels[7] | self.levels[1])


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningExclusions(DunningCommon):
    def test_exclusions(self):
        first = self._invoice(300.0, days_late=3)
        second = self._invoice(200.0, days_late=3)
        exclusion = self.env["recouvrement.dunning.exclusion"].create(
            {"partner_id": self.customer.id, "move_id": first.id, "reason": "Agreed with the buyer"}
        )
        self.assertEqual(self._run(TODAY).line_ids.move_id, second, "the excluded invoice is left out")
        exclusion.write({"move_id": False, "date_end": day(10)})
        self.assertFalse(self._run(day(8)), "the whole customer is excluded until its end date")
        self.assertTrue(self._run(day(11)), "after the end date, reminders resume")

    def test_dispute_promise_and_payment_plan(self):
        """Disputed, promised and planned items wait; a rejected dispute resumes where it was, a
        broken promise escalates at once, a broken plan resumes."""
        disputed, promised, planned, free = (self._invoice(100.0 * n, days_late=20) for n in (1, 2, 3, 4))
        items = {
            move: move.line_ids.filtered("date_maturity") for move in (disputed, promised, planned, free)
        }
        self.assertEqual(self._run(day(-10)).line_ids.move_id, disputed | promised | planned | free)
        dispute = self.env["recouvrement.dispute"].create({"move_id": disputed.id})
        promise = self.env["recouvrement.promise"].create(
            {"partner_id": self.customer.id, "move_line_ids": [(6, 0, items[promised].ids)], "date": day(5)}
        )
        wizard = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_context(active_model="account.move", active_ids=planned.ids)
            .create({"date_first": day(10), "instalment_count": 2})
        )
        plan = self.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"])
        plan.action_confirm()
        self.assertEqual(self._run(TODAY).line_ids.move_id, free, "only the free invoice climbs")
        dispute.resolution_note = "Unfounded"
        dispute.action_reject()
        resumed = self._run(day(6)).line_ids.move_id
        self.assertIn(disputed, resumed)
        self.assertNotIn(promised, resumed, "the promise still has its grace")
        self.assertEqual(items[disputed].dunning_level_id, self.levels[7], "resumed where it was")
        broken_day = promise.date + timedelta(days=promise.grace_days + 1)
        communication = self._run(broken_day)
        self.assertEqual(promise.state, "broken")
        self.assertIn(promised, communication.line_ids.move_id, "a broken promise escalates at once")
        self.assertEqual(items[promised].dunning_level_id, self.levels[7])
        self.assertTrue(promise.activity_ids, "and the collector gets a to-do")
        plan_broken_day = plan.instalment_ids[:1].date + timedelta(days=plan.grace_days + 1)
        communication = self._run(plan_broken_day)
        self.assertEqual(plan.state, "broken")
        self.assertIn(planned, communication.line_ids.move_id, "dunning resumes on a broken plan")

    def test_broken_promise_escalates_without_waiting(self):
        invoice = self._invoice(400.0, days_late=10)
        item = invoice.line_ids.filtered("date_maturity")
        self._run(TODAY)  # J+1
        promise = self.env["recouvrement.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_line_ids": [(6, 0, item.ids)],
                "date": day(1),
                "grace_days": 0,
            }
        )
        communication = self._run(day(2))
        self.assertEqual(promise.state, "broken")
        self.assertEqual(
            communication.level_id, self.levels[7], "next level at once, without the 5 days between reminders"
        )

    def test_below_tolerance(self):
        self._invoice(4.0, days_late=3)
        run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, TODAY)
        run._generate()
        self.assertFalse(run.communication_ids)
        self.assertEqual(run.skipped_tolerance_count, 1)

    def test_unapplied_credit_covers(self):
        invoice = self._invoice(300.0, days_late=3)
        self._pay(500.0)  # not matched with the invoice
        communication = self._run(TODAY)
        self.assertTrue(communication.credit_covers)
        self.assertEqual(communication.amount_credit, 500.0)
        line = invoice.line_ids.filtered("date_maturity")
        self.assertFalse(line.dunning_level_id, "the item does not climb while credit covers it")
        self.assertEqual(line.dunning_date, TODAY)

    def test_contact_cap(self):
        self.company.write({"dunning_contact_cap": 1, "dunning_contact_window_days": 10})
        self._invoice(300.0, days_late=3)
        self.assertTrue(self._run(TODAY))
        self._invoice(400.0, days_late=1, partner=self.customer)
        run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, day(6))
        with freeze_time(day(6)):
            run._generate()
        self.assertFalse(run.communication_ids, "one reminder per 10 days at most")
        self.assertEqual(run.skipped_contact_cap_count, 1)
        self.assertTrue(self._run(day(11)), "the window has passed")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningRunSafety(DunningCommon):
    def test_preview_changes_nothing(self):
        invoice = self._invoice(300.0, days_late=3)
        preview = self.env["recouvrement.dunning.preview"].create({"company_id": self.company.id})
        self.assertEqual(preview.line_ids.partner_id, self.customer)
        self.assertEqual(preview.line_ids.level_id, self.levels[1])
        self.assertEqual(preview.line_ids.amount_due, 300.0)
        self.assertIn("Email", preview.line_ids.channels)
        self.assertFalse(self.communications.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(invoice.line_ids.filtered("date_maturity").dunning_date)
        preview.action_run()
        communication = self.communications.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(communication.state, "sent")

    def test_batches_resume_without_duplicates_or_losses(self):
        """A run cut after its first batch (as when the job is killed) resumes with the customers
        left, and never reminds one twice."""
        customers = self.customer | self.env["res.partner"].create(
            [{"name": f"Client {n}", "email": f"c{n}@example.com"} for n in range(3)]
        )
        for customer in customers:
            self._invoice(100.0, days_late=3, partner=customer)
        run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, TODAY)
        self.assertEqual(run._generate(limit=2), (2, 2))
        self.assertEqual(run.state, "running")
        with self.env.cr.savepoint() as killed:  # the second batch dies half-way: rolled back
            run._generate(limit=1)
            killed.rollback()
        run.invalidate_recordset()
        self.assertEqual(run._generate(limit=2), (2, 0))
        self.assertEqual(run.state, "done")
        self.assertEqual(run._generate(limit=2), (0, 0))
        self.assertEqual(sorted(run.communication_ids.partner_id.ids), sorted(customers.ids))

    def test_concurrent_runs_are_refused(self):
        """While another transaction runs the company's dunning, a second run refuses and creates
        nothing; afterwards it finds nothing left to send."""
        self._invoice(300.0, days_late=3)
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(74211601, %s)", [self.company.id])
            run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, TODAY)
            with self.assertRaisesRegex(UserError, "already in progress"):
                run._generate()
            self.assertFalse(run.communication_ids)
            other.rollback()
        self.assertEqual(len(self._run(TODAY)), 1)
        self.assertFalse(self._run(TODAY))

    def test_large_run_same_outcome_with_bounded_memory(self):
        """A run reminding more customers than are refreshed at commit leaves their positions to the
        refresh job (marked stale: a decision refreshes them first), and handles its reminders in
        batches: each one still gets what its level triggers."""
        customers = self.customer | self.env["res.partner"].create(
            [{"name": f"Client {n}", "email": f"c{n}@example.com", "is_company": True} for n in range(2)]
        )
        for customer in customers:
            self._invoice(100.0, days_late=3, partner=customer)
        positions = self.positions._refresh(customers)
        self.levels[1].propose_legal = True  # what the level triggers: a note on the customer
        run_class = type(self.env["recouvrement.dunning.run"])
        with (
            patch.object(run_class, "_REFRESH_AT_COMMIT_MAX", 2),
            patch.object(run_class, "_POST_BATCH", 1),
        ):
            communications = self._run(TODAY)
        self.assertEqual(communications.partner_id, customers)
        self.assertEqual(positions.mapped("refresh_date"), [False] * 3, "left to the refresh job")
        self.assertFalse(set(customers.ids) & self.env.cr.precommit.data.get(REFRESH_KEY, set()))
        refresh_job = self.env.ref("recouvrement_credit.ir_cron_refresh_credit_positions")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", refresh_job.id)]))
        current = self.positions._get_current_positions(customers, self.company)
        self.assertEqual([current[c.id, self.company.id].dunning_level for c in customers], [1] * 3)
        for customer in customers:
            self.assertIn("proposed for legal action", customer.message_ids[:1].body)

    def test_sent_reminders_are_frozen_and_never_deleted(self):
        self._invoice(300.0, days_late=3)
        communication = self._run(TODAY)
        self._send(communication)
        self.assertEqual(communication.state, "sent")
        with self.assertRaises(UserError):
            communication.amount_due = 1.0
        with self.assertRaises(UserError):
            communication.unlink()
        with self.assertRaises(UserError):
            communication.dispatch_ids.unlink()
        with self.assertRaisesRegex(UserError, "Reminders were sent at this level"):
            communication.level_id.unlink()


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 08:00:00")
class TestDunningJobs(DunningCommon):
    def test_daily_job_then_dispatch_job(self):
        invoice = self._invoice(300.0, days_late=1)
        self.env["recouvrement.dunning.run"].sudo()._cron_run(batch_size=10)  # as the job does (root)
        run = self.env["recouvrement.dunning.run"].search(
            [("company_id", "=", self.company.id), ("date", "=", TODAY)]
        )
        self.assertEqual(run.state, "done")
        communication = run.communication_ids
        self.assertEqual(communication.line_ids.move_id, invoice)
        self.assertEqual(communication.state, "queued")
        self.env["recouvrement.dunning.dispatch"].sudo()._cron_send()  # as the job does (root)
        self.assertEqual(communication.state, "sent")
        self.env["recouvrement.dunning.run"].sudo()._cron_run(batch_size=10)  # as the job does (root)
        self.assertEqual(run.communication_ids, communication, "the job ran twice today: nothing new")
