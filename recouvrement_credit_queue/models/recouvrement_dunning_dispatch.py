from odoo import api, models
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact

# Reminders per sending job, as the scheduled action's default batch.
SEND_BATCH_SIZE = 200


class RecouvrementDunningDispatch(models.Model):
    """The sending in jobs: the queue cut into jobs of BATCH_SIZE reminders, all channels of a reminder
    in the same job. Each job sends its channels through ``_send``, which claims them with ``FOR NO KEY
    UPDATE SKIP LOCKED``: two jobs holding the same channels (the queue cut again while the first jobs
    wait) never send one twice. The identity key (the channels themselves) keeps the same cut from
    being enqueued twice."""

    _name = "recouvrement.dunning.dispatch"
    _inherit = ["recouvrement.dunning.dispatch", "recouvrement.queue.mixin"]

    @api.model
    def _cron_send(self, batch_size=SEND_BATCH_SIZE):
        if not self._use_queue_jobs():
            return super()._cron_send(batch_size=batch_size)
        self._enqueue_sending(batch_size)
        return None

    @api.model
    def _enqueue_sending(self, batch_size=SEND_BATCH_SIZE):
        """Enqueue one sending job per BATCH_SIZE reminders of the queue. Returns the jobs' channels."""
        batches = [self.browse(ids) for ids in self._get_sending_batches(batch_size)]
        for dispatches in batches:
            dispatches.with_delay(
                description=self.env._("Send %s queued reminder channels", len(dispatches)),
                identity_key=identity_exact,
            )._job_send()
        return batches

    @api.model
    def _get_sending_batches(self, batch_size):
        """The queued channels of released reminders, as lists of ids of at most BATCH_SIZE reminders
        each (in the order the scheduled action sends them)."""
        self.env["recouvrement.dunning.communication"].flush_model(["state"])
        self.flush_model(["state", "communication_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT ARRAY_AGG(queued.id ORDER BY queued.communication_id, queued.id)
                  FROM (SELECT dispatch.id, dispatch.communication_id,
                               DENSE_RANK() OVER (ORDER BY dispatch.communication_id) AS rank
                          FROM recouvrement_dunning_dispatch dispatch
                          JOIN recouvrement_dunning_communication communication
                            ON communication.id = dispatch.communication_id
                         WHERE dispatch.state = 'queued' AND communication.state = 'queued') queued
              GROUP BY (queued.rank - 1) / %s
              ORDER BY MIN(queued.rank)
                """,
                max(int(batch_size), 1),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _job_send(self):
        """Job: send those of these channels that are still queued and that no other transaction is
        sending."""
        sent = self._send()
        return self.env._("%(sent)s of %(total)s channels processed", sent=len(sent), total=len(self))
