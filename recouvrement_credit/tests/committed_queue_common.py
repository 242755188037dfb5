"""Base of the tests where several cron threads or workers send the same queue at once: two
transactions need committed rows to contend for, so the reminders are committed through a cursor of
the test's own and deleted afterwards (with what a test committed on them); the workers roll back."""

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase

DISPATCH = "recouvrement.dunning.dispatch"
NO_TRACKING = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


class CommittedQueueCase(TransactionCase):
    """One committed reminder, with one queued email channel, for each customer of ``_customers``;
    ``dispatch_ids`` are their channels (``dispatch_ids_without_email``, those of customers
    without an email address). ``_worker`` opens another transaction, as a second sender."""

    worker_context = {}

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_TRACKING)
            company = env.ref("base.main_company")
            level = env.ref("recouvrement_credit.dunning_scenario_standard").level_ids.sorted("level")[0]
            partners = env["res.partner"].create(self._customers())
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
                [{"communication_id": c.id, "channel": "email"} for c in communications]
            )
            self.dispatch_ids = dispatches.ids
            # read here: the test's own transaction began before these rows were committed
            self.dispatch_ids_without_email = dispatches.filtered(
                lambda d: not d.communication_id.partner_id.email
            ).ids
        # the cursor committed on leaving the block: the workers' cursors see the reminders
        self.addCleanup(self._delete_fixtures, communications.ids, partners.ids)

    def _customers(self):
        """Values of the customers reminded (five with an email address, one without)."""
        return [
            {"name": f"Concurrent Client {n}", "is_company": True, "email": f"c{n}@example.com"}
            for n in range(5)
        ] + [{"name": "Concurrent Client without email", "is_company": True}]

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
        """A sender (cron thread, worker): its own cursor and transaction (a lock wait fails the
        test instead of hanging)."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET LOCAL lock_timeout = '60s'")
        return api.Environment(cr, SUPERUSER_ID, dict(self.worker_context))
