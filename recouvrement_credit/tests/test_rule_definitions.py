"""One definition per business rule (issue #9, items 12 and 13): its forms agree with each other."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.recouvrement_dunning_level import CHANNEL_LABELS, CHANNELS
from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRuleDefinitions(DunningCommon):
    def test_open_receivable_domain_and_sql_select_the_same_items(self):
        paid = self._invoice(200, days_late=5)
        self._pay(200, invoice=paid)
        partly_paid = self._invoice(300, days_late=5)
        self._pay(100, invoice=partly_paid)
        open_invoice = self._invoice(400)
        self._invoice(500, post=False)  # draft: not an item yet
        credit_note = self._invoice(50, move_type="out_refund")
        unapplied = self._pay(70)
        lines = self.env["account.move.line"]
        by_domain = lines.search(
            [("partner_id", "=", self.customer.id), *lines._get_open_receivable_domain()]
        )
        lines.flush_model()
        by_sql = self.env.execute_query(
            SQL(
                """SELECT aml.id FROM account_move_line aml
                     JOIN account_account account ON account.id = aml.account_id
                    WHERE aml.partner_id = %s AND %s""",
                self.customer.id,
                lines._get_open_receivable_sql(),
            )
        )
        self.assertEqual(sorted(by_domain.ids), sorted(row[0] for row in by_sql))
        self.assertEqual(by_domain.move_id, partly_paid | open_invoice | credit_note | unapplied.move_id)

    def test_reminder_number_is_the_same_from_the_run_and_the_orm(self):
        self._invoice(300.0, days_late=3)
        from_run = self._run(TODAY)
        self.assertEqual(from_run.name, "REL/2026/%06d" % from_run.id)
        from_orm = self.communications.sudo().create(  # the run creates them; the ORM may too
            {
                "date": TODAY,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "currency_id": self.currency.id,
                "level_id": self.levels[1].id,
                "state": "to_review",
            }
        )
        self.assertEqual(from_orm.name, "REL/2026/%06d" % from_orm.id)

    def test_run_creates_the_channels_of_the_level_in_dispatch_order(self):
        self.assertEqual(list(CHANNELS), [channel for channel, _label in CHANNEL_LABELS])
        level = self.levels[1]
        level.write(
            {
                **dict.fromkeys(CHANNELS.values(), True),
                "sms_template_id": self.env.ref("recouvrement_credit.sms_template_dunning_reminder").id,
                "letter_report_id": level._get_letter_report().id,
                "mail_template_id": self.env.ref("recouvrement_credit.mail_template_dunning_reminder").id,
            }
        )
        self._invoice(300.0, days_late=3)
        communication = self._run(TODAY)
        self.assertEqual(communication.dispatch_ids.sorted("id").mapped("channel"), list(CHANNELS))

    def test_promise_covers_until_its_date_plus_grace(self):
        self.company.dunning_promise_grace_days = 3
        invoice = self._invoice(300.0, days_late=3)
        promise = self.env["recouvrement.promise"].create(
            {
                "partner_id": self.customer.id,
                "date": TODAY + timedelta(days=2),
                "move_line_ids": [
                    (
                        6,
                        0,
                        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").ids,
                    )
                ],
            }
        )
        self.assertEqual(promise.date_grace_end, TODAY + timedelta(days=5))
        self.assertFalse(self._run(TODAY + timedelta(days=5)), "covered until the last grace day")
        promise._update_states(TODAY + timedelta(days=5))
        self.assertEqual(promise.state, "open")
        promise._update_states(TODAY + timedelta(days=6))
        self.assertEqual(promise.state, "broken")
