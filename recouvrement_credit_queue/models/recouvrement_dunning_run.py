from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

# Seconds a batch waits when another batch or a Run Now of its company holds the company's run lock.
LOCK_RETRY_SECONDS = 10


class RecouvrementDunningRun(models.Model):
    """The daily run in jobs: one job per batch of customers, each enqueueing the next.

    A company's batches run one after the other (the company's run lock); companies, and the sending
    of what each batch produced, spread over the workers. The identity key allows one waiting batch
    per run: enqueuing again (the scheduled action run twice, a batch that ends while the next is
    already waiting) creates no second job. A batch killed half-way is rolled back and run again: an
    item reminded today is never selected again, so nothing is reminded twice or forgotten."""

    _name = "recouvrement.dunning.run"
    _inherit = ["recouvrement.dunning.run", "recouvrement.queue.mixin"]

    def _run_scheduled_batch(self, batch_size):
        if not self._use_queue_jobs():
            return super()._run_scheduled_batch(batch_size)
        self._enqueue_batch(batch_size)
        return 0, 0

    def _enqueue_batch(self, batch_size, batch=1):
        """Enqueue the next batch of this run (none when one is already waiting)."""
        self.ensure_one()
        return self.with_delay(
            description=self.env._(
                "%(run)s (%(company)s): batch %(batch)s",
                run=self.name,
                company=self.company_id.name,
                batch=batch,
            ),
            identity_key=self._get_batch_identity_key(),
        )._job_generate_batch(batch_size, batch=batch)

    def _get_batch_identity_key(self):
        """One waiting batch per run, whatever its number."""
        return f"{self._name}({self.id})._job_generate_batch"

    def _job_generate_batch(self, batch_size, batch=1):
        """Job: remind BATCH_SIZE customers of this run, enqueue the sending of their reminders and,
        while customers are left, the next batch."""
        self.ensure_one()
        if self.date != fields.Date.context_today(self):  # a job left over from a day without a runner
            return self.env._("Not run: today's run reminds the customers of the run of %s.", self.date)
        try:
            self._lock()
        except UserError as error:  # the company's previous batch or a Run Now is not over: wait for it
            raise RetryableJobError(str(error), seconds=LOCK_RETRY_SECONDS, ignore_retry=True) from error
        done, remaining = self._generate(limit=batch_size)
        self.env["recouvrement.dunning.dispatch"]._enqueue_sending()
        if remaining:
            self._enqueue_batch(batch_size, batch=batch + 1)
        return self.env._("%(done)s customers reminded, %(remaining)s left", done=done, remaining=remaining)
