"""Two sending jobs running at once on the same queue, each in its own transaction (two workers):
every channel is sent by one of them only. Their jobs are enqueued in their own uncommitted
transactions, so neither sees the other's: the identity key cannot help, the claim of the channels
(``FOR NO KEY UPDATE SKIP LOCKED``) must. The reminders are committed through a cursor of the
test's own and deleted afterwards; the workers roll back."""

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.job import Job

DISPATCH = "recouvrement.dunning.dispatch"
NO_TRACKING = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


@tagged("post_install", "-at_install")
class TestConcurrentSendingJobs(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_TRACKING)
            company = env.ref("base.main_company")
            level = env.ref("recouvrement_credit.dunning_scenario_standard").level_ids.sorted("level")[0]
            partners = env["res.partner"].create(
                [
                    {"name": f"Queue Client {n}", "is_company": True, "email": f"q{n}@example.com"}
                    for n in range(6)
                ]
            )
            communications = env["recouvrement.dunning.communication"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "currency_id": company.currency_id.id,
                        "date": "2026-06-15",
                        "level_id": level.id,
                        "amount_due": 100.0,
                        "state": "queued",
                    }
                    for partner in partners
                ]
            )
            self.dispatch_ids = (
                env[DISPATCH]
                .create([{"communication_id": c.id, "channel": "email"} for c in communications])
                .ids
            )
        # the cursor committed on leaving the block: the workers' cursors see the reminders
        self.addCleanup(self._delete_fixtures, communications.ids, partners.ids)

    def _delete_fixtures(self, communication_ids, partner_ids):
        with self.registry.cursor() as cr:
            # reminders are never deleted by the ORM: these are the test's own rows
            cr.execute(
                "DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)",
                ["recouvrement.dunning.communication", communication_ids],
            )
            cr.execute(
                "DELETE FROM recouvrement_dunning_communication WHERE id = ANY(%s)", [communication_ids]
            )
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [partner_ids])

    def _worker(self):
        """A queue_job worker: its own cursor and transaction (a lock wait fails the test instead of
        hanging)."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET LOCAL lock_timeout = '60s'")
        return api.Environment(cr, SUPERUSER_ID, {"recouvrement_queue_jobs": True})

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
