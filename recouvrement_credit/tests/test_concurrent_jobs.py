"""Several cron threads or workers running the same scheduled job at once: each record is processed by
one of them only. Two transactions need committed rows to contend for, so the sending test commits
its reminders through a cursor of its own and deletes them afterwards; the workers roll back."""

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .credit_common import TODAY, CreditCommon

DISPATCH = "recouvrement.dunning.dispatch"
NO_TRACKING = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


@tagged("post_install", "-at_install")
class TestConcurrentSending(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_TRACKING)
            company = env.ref("base.main_company")
            level = env.ref("recouvrement_credit.dunning_scenario_standard").level_ids.sorted("level")[0]
            partners = env["res.partner"].create(
                [
                    {"name": f"Concurrent Client {n}", "is_company": True, "email": f"c{n}@example.com"}
                    for n in range(5)
                ]
                + [{"name": "Concurrent Client without email", "is_company": True}]
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
            dispatches = env[DISPATCH].create(
                [
                    {"communication_id": communication.id, "channel": "email"}
                    for communication in communications
                ]
            )
            self.dispatch_ids = dispatches.ids
            self.no_email = dispatches.filtered(lambda d: not d.communication_id.partner_id.email).id
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
            cr.execute(  # the notes of a reminder sent and committed by a test
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)", [partner_ids]
            )
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [partner_ids])

    def _worker(self):
        """A cron worker: its own cursor and transaction (a lock wait fails the test instead of hanging)."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET LOCAL lock_timeout = '60s'")
        return api.Environment(cr, SUPERUSER_ID, {})

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
