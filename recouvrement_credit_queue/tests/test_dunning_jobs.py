"""The daily run and the sending as queue jobs, tested with queue_job's own helpers: what the
scheduled actions enqueue, that nothing is enqueued twice, that the jobs remind exactly what the run
of the scheduled action reminds, and that a batch killed half-way and run again loses nothing and
repeats nothing."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time

import odoo
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.recouvrement_credit.models.recouvrement_dunning_run import RUN_LOCK_KEY
from odoo.addons.recouvrement_credit.tests.credit_common import TODAY
from odoo.addons.recouvrement_credit.tests.dunning_common import DunningCommon

RUN = "recouvrement.dunning.run"
DISPATCH = "recouvrement.dunning.dispatch"
CHANNEL = "root.recouvrement"


class Killed(Exception):
    """The worker dies here: its transaction is rolled back, as PostgreSQL does for a dead session."""


@tagged("post_install", "-at_install")
@freeze_time(datetime.combine(TODAY, time(8)))
class TestDunningQueueJobs(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.customer | cls.env["res.partner"].create(
            [{"name": f"Client {n}", "is_company": True, "email": f"client{n}@example.com"} for n in range(4)]
        )
        cls.runs = cls.env[RUN].sudo().with_context(recouvrement_queue_jobs=True)  # as the cron (root)

    def setUp(self):
        super().setUp()
        # five customers with something due today (J+1 email), one of them with two invoices
        self.invoices = self.env["account.move"]
        for customer in self.customers:
            self.invoices |= self._invoice(300.0, days_late=1, partner=customer)
        self.invoices |= self._invoice(120.0, days_late=1, partner=self.customers[1])
        self.items = self.invoices.line_ids.filtered(lambda line: line.display_type == "payment_term")

    def _run_of_today(self):
        return self.env[RUN].search([("company_id", "=", self.company.id), ("date", "=", TODAY)])

    def _reminded(self):
        """What was reminded today: {customer: sorted item ids} of this company's run."""
        self.env.invalidate_all()
        communications = self._run_of_today().communication_ids
        return {c.partner_id: sorted(c.line_ids.move_line_id.ids) for c in communications}

    def _our_jobs(self, trap):
        return [job for job in trap.enqueued_jobs if job.recordset == self._run_of_today()]

    def test_cron_enqueues_the_first_batch_with_identity_key_on_the_channel(self):
        with trap_jobs() as trap:
            self.runs._cron_run(batch_size=2)
            run = self._run_of_today()
            trap.assert_enqueued_job(
                run._job_generate_batch,
                args=(2,),
                kwargs={"batch": 1},
                properties={"identity_key": f"recouvrement.dunning.run({run.id})._job_generate_batch"},
            )
            (job,) = self._our_jobs(trap)
            self.assertEqual(job.channel, CHANNEL)
        self.assertFalse(run.communication_ids, "the scheduled action only enqueued the work")

    def test_enqueuing_twice_creates_no_duplicate_job(self):
        self.runs._cron_run(batch_size=2)
        self.runs._cron_run(batch_size=2)
        run = self._run_of_today()
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("model_name", "=", RUN)])
            .filtered(lambda job: job.records == run)
        )
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.channel, CHANNEL)
        self.assertEqual(jobs.state, "pending")
        # the sending: the same queue cut the same way is enqueued once
        self._perform(jobs)
        self.env[DISPATCH].with_context(recouvrement_queue_jobs=True)._cron_send(batch_size=2)
        sending = (
            self.env["queue.job"]
            .sudo()
            .search([("method_name", "=", "_job_send"), ("state", "=", "pending")])
        )
        self.env[DISPATCH].with_context(recouvrement_queue_jobs=True)._cron_send(batch_size=2)
        again = (
            self.env["queue.job"]
            .sudo()
            .search([("method_name", "=", "_job_send"), ("state", "=", "pending")])
        )
        self.assertEqual(again, sending)
        self.assertEqual(set(sending.mapped("channel")), {CHANNEL})

    def test_jobs_remind_and_send_what_the_scheduled_action_does(self):
        # the reference: the scheduled action doing the work itself, then undone
        with self.env.cr.savepoint() as savepoint:
            self.runs.with_context(recouvrement_queue_jobs=False)._cron_run(batch_size=2)
            self.runs.with_context(recouvrement_queue_jobs=False)._cron_run(batch_size=2)
            self.runs.with_context(recouvrement_queue_jobs=False)._cron_run(batch_size=2)
            self.env.flush_all()
            inline = self._reminded()
            savepoint.rollback()
        self.env.invalidate_all(flush=False)
        self.assertEqual(set(inline), set(self.customers))
        self.assertEqual(
            sorted([item for items in inline.values() for item in items]), sorted(self.items.ids)
        )
        with trap_jobs() as trap:
            self.runs._cron_run(batch_size=2)
            batches = 0
            while trap.enqueued_jobs:  # each batch enqueues the next one and the sending
                batches += len(
                    [job for job in self._our_jobs(trap) if job.method_name == "_job_generate_batch"]
                )
                trap.perform_enqueued_jobs()
        self.assertEqual(self._reminded(), inline)
        run = self._run_of_today()
        self.assertEqual(run.state, "done")
        self.assertEqual(set(run.communication_ids.mapped("state")), {"sent"})
        self.assertEqual(set(run.communication_ids.dispatch_ids.mapped("state")), {"sent"})
        self.assertEqual(batches, 3, "five customers in batches of two")

    def test_batch_killed_half_way_then_run_again_loses_and_repeats_nothing(self):
        self.runs._cron_run(batch_size=2)
        run = self._run_of_today()
        first = self._job_of(run)
        self._perform(first)
        reminded_first = self._reminded()
        self.assertEqual(len(reminded_first), 2)
        second = self._job_of(run)
        self.assertNotEqual(second, first)

        # the second batch dies after its reminders, lines and channels are written, before the
        # items are marked as reminded: its transaction is rolled back
        advance_items = type(self.env[RUN])._advance_items
        killing = [True]

        def advance_or_die(run, *args, **kwargs):
            if killing[0]:
                raise Killed()
            return advance_items(run, *args, **kwargs)

        self.patch(type(self.env[RUN]), "_advance_items", advance_or_die)
        with self.env.cr.savepoint(), self.assertRaises(Killed):
            self._perform(second)
        killing[0] = False
        self.env.invalidate_all()
        self.assertEqual(self._reminded(), reminded_first, "nothing of the dead batch is left")

        # queue_job gives the dead job back to a worker: it runs again, then the batches left
        self._perform(second)
        while job := self._job_of(run):
            self._perform(job)
        reminded = self._reminded()
        self.assertEqual(set(reminded), set(self.customers), "no customer forgotten")
        items = [item for items in reminded.values() for item in items]
        self.assertEqual(sorted(items), sorted(self.items.ids), "each item reminded once")
        self.assertEqual(len(run.communication_ids), len(self.customers), "one reminder per customer")
        self.assertEqual(run.state, "done")

    def test_batch_left_over_from_another_day_reminds_nothing(self):
        self.runs._cron_run(batch_size=2)
        run = self._run_of_today()
        job = self._job_of(run)
        with freeze_time(datetime.combine(TODAY + timedelta(days=1), time(8))):
            self._perform(job)
        self.assertFalse(self._reminded(), "tomorrow's run reminds them, with tomorrow's levels")

    def test_without_a_job_runner_the_scheduled_action_does_the_work(self):
        """queue_job installed but its runner not loaded server-wide: jobs would wait for ever."""
        runs = self.env[RUN].sudo()
        self.patch(odoo.conf, "server_wide_modules", ["base", "web"])
        runs._cron_run(batch_size=10)
        self.assertEqual(set(self._reminded()), set(self.customers), "done inline, as without the addon")
        self.assertFalse(self._job_of(self._run_of_today()))

    def test_a_runner_started_on_its_own_is_declared_by_a_system_parameter(self):
        runs = self.env[RUN].sudo()
        self.patch(odoo.conf, "server_wide_modules", ["base", "web"])
        self.env["ir.config_parameter"].sudo().set_param("recouvrement_credit_queue.use_jobs", "1")
        runs._cron_run(batch_size=10)
        self.assertFalse(self._reminded())
        self.assertTrue(self._job_of(self._run_of_today()))

    def test_batch_waits_while_another_holds_the_company_lock(self):
        self.runs._cron_run(batch_size=2)
        run = self._run_of_today()
        job = Job.load(self.env, self._job_of(run).uuid)
        with self.registry.cursor() as other:  # a Run Now of the company, not committed yet
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RUN_LOCK_KEY, self.company.id])
            with self.assertRaises(RetryableJobError):
                job.perform()
            other.rollback()
        self.assertFalse(self._reminded(), "retried later by queue_job, not failed")

    def _job_of(self, run):
        """The batch of RUN waiting for a worker."""
        return (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", RUN),
                    ("method_name", "=", "_job_generate_batch"),
                    ("state", "=", "pending"),
                ]
            )
            .filtered(lambda job: job.records == run)
        )

    def _perform(self, job_record):
        """Run the job as queue_job's worker does (started, performed, done), in this transaction."""
        job = Job.load(self.env, job_record.uuid)
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
        self.env.invalidate_all()
