"""Several cron threads or workers running the same scheduled job at once: each record is processed by
one of them only."""

from freezegun import freeze_time

from odoo.tests import tagged

from .committed_queue_common import DISPATCH, CommittedQueueCase
from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
class TestConcurrentSending(CommittedQueueCase):
    def setUp(self):
        super().setUp()
        self.no_email = self.dispatch_ids_without_email[0]

    def test_two_senders_send_disjoint_batches_each_reminder_once(self):
        first, second, third = self._worker(), self._worker(), self._worker()
        batch = first[DISPATCH].browse(self.dispatch_ids)._claim(limit=3, restrict=True)
        sent_first = batch._send()
        self.assertEqual(sent_first, batch)
        # the second worker's job, while the first has not committed: it takes the rest, not the batch
        second[DISPATCH]._cron_send(batch_size=len(self.dispatch_ids))
        in_second = second[DISPATCH].browse(self.dispatch_ids)
        sent_second = in_second.filtered(lambda d: d.state != "queued")
        self.assertEqual(set(sent_second.ids), set(self.dispatch_ids) - set(batch.ids))
        self.assertEqual(in_second.browse(batch.ids).mapped("state"), ["queued"] * 3)
        # a third worker finds nothing left that is not being sent
        self.assertFalse(third[DISPATCH].browse(self.dispatch_ids)._claim(restrict=True))
        self.assertFalse(third[DISPATCH].browse(self.dispatch_ids)._send())
        # each reminder sent by exactly one worker; the customer without email failed alone
        states = {d.id: d.state for d in sent_first} | {d.id: d.state for d in sent_second}
        self.assertEqual(sorted(states), sorted(self.dispatch_ids))
        self.assertEqual(states.pop(self.no_email), "failed")
        self.assertEqual(set(states.values()), {"sent"})
        sender = first if self.no_email in batch.ids else second
        self.assertIn("no email address", sender[DISPATCH].browse(self.no_email).failure_reason)

    def test_sender_whose_transaction_began_before_another_sent_claims_nothing_and_fails_not(self):
        late, early = self._worker(), self._worker()
        early.cr.execute("SELECT 1 FROM recouvrement_dunning_dispatch LIMIT 1")  # its snapshot begins
        late[DISPATCH]._cron_send(batch_size=2)
        late.cr.commit()  # two channels sent and committed after the early sender's snapshot
        self.assertFalse(early[DISPATCH].browse(self.dispatch_ids)._claim(restrict=True))
        early.cr.execute("SELECT 1")  # its transaction is still usable
        early.cr.rollback()
        # a new transaction claims what is still queued, and only that
        queued = early[DISPATCH].browse(self.dispatch_ids).filtered(lambda d: d.state == "queued")
        self.assertEqual(len(queued), len(self.dispatch_ids) - 2)
        self.assertEqual(early[DISPATCH].browse(self.dispatch_ids)._claim(restrict=True), queued)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestConcurrentRefresh(CreditCommon):
    def test_refresh_in_progress_elsewhere_is_left_to_it(self):
        """While another transaction refreshes the positions, the daily job leaves them to it."""
        self._invoice(500, days_late=25)
        self.assertEqual(self._position().oldest_overdue_days, 25)
        with freeze_time("2026-06-25"):
            with self.registry.cursor() as other:
                other.execute("SELECT pg_advisory_xact_lock(74211602)")
                self.positions._cron_refresh()
                self.assertEqual(self._position_row().oldest_overdue_days, 25)
                other.rollback()
            self.positions._cron_refresh()
            self.assertEqual(self._position_row().oldest_overdue_days, 35)

    def _position_row(self):
        """The stored position as the job left it (no refresh on read)."""
        self.positions.invalidate_model()
        return self.positions.search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
