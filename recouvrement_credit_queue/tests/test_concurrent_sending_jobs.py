"""Two sending jobs running at once on the same queue, each in its own transaction (two workers):
every channel is sent by one of them only. Their jobs are enqueued in their own uncommitted
transactions, so neither sees the other's: the identity key cannot help, the claim of the channels
(``FOR NO KEY UPDATE SKIP LOCKED``) must."""

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.recouvrement_credit.tests.committed_queue_common import DISPATCH, CommittedQueueCase


@tagged("post_install", "-at_install")
class TestConcurrentSendingJobs(CommittedQueueCase):
    worker_context = {"recouvrement_queue_jobs": True}  # the workers enqueue and perform jobs

    def _customers(self):
        return [
            {"name": f"Queue Client {n}", "is_company": True, "email": f"q{n}@example.com"} for n in range(6)
        ]

    def _enqueue(self, env, batch_size):
        """The scheduled action of this worker enqueues the sending; returns its jobs, loaded."""
        env[DISPATCH]._cron_send(batch_size=batch_size)
        records = env["queue.job"].search([("method_name", "=", "_job_send"), ("state", "=", "pending")])
        return [Job.load(env, record.uuid) for record in records]

    def test_two_workers_sending_the_same_queue_send_each_channel_once(self):
        ours = set(self.dispatch_ids)
        first, second = self._worker(), self._worker()
        first_jobs = self._enqueue(first, batch_size=4)  # our 6 reminders in 2 jobs (at least)
        second_jobs = self._enqueue(second, batch_size=6)  # the same queue cut otherwise
        self.assertGreaterEqual(len(first_jobs), 2)
        self.assertTrue(ours <= {d for job in second_jobs for d in job.recordset.ids})
        # the first worker's job holding 4 of our reminders runs, uncommitted, when the second
        # worker sends the whole queue
        holding = max(first_jobs, key=lambda job: len(set(job.recordset.ids) & ours))
        holding.perform()
        held = set(holding.recordset.ids) & ours
        self.assertTrue(held and held != ours)
        for job in second_jobs:
            job.perform()
        by_second = second[DISPATCH].browse(self.dispatch_ids).filtered(lambda d: d.state != "queued")
        # the second worker sent what the first did not hold, and nothing of what it held
        self.assertEqual(set(by_second.ids), ours - held)
        self.assertEqual(set(by_second.mapped("state")), {"sent"})
        # the first worker's other jobs find nothing left that is not being sent
        for job in first_jobs:
            if job is not holding:
                job.perform()
        by_first = first[DISPATCH].browse(self.dispatch_ids).filtered(lambda d: d.state != "queued")
        self.assertEqual(set(by_first.ids), held)
        self.assertEqual(set(by_first.mapped("state")), {"sent"})
        self.assertFalse(set(by_first.ids) & set(by_second.ids), "no channel sent by both workers")
