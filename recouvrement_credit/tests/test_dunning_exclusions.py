from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningExclusions(CreditCommon):
    """The conditions the dunning run puts on open items, read on this feature's tables exactly as
    the run writes them: a dispute, a promise or a plan takes an item out of the run."""

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def _excluded(self, lines, today):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.id FROM account_move_line aml
                 WHERE aml.id = ANY(%(ids)s)
                   AND (EXISTS (SELECT 1 FROM recouvrement_dispute d
                                 WHERE d.move_id = aml.move_id AND d.state = 'open')
                        OR EXISTS (SELECT 1 FROM recouvrement_promise_move_line_rel r
                                     JOIN recouvrement_promise p ON p.id = r.promise_id
                                    WHERE r.move_line_id = aml.id AND p.state = 'open'
                                      AND p.date + p.grace_days >= %(today)s)
                        OR EXISTS (SELECT 1 FROM recouvrement_payment_plan_move_line_rel r
                                     JOIN recouvrement_payment_plan pp ON pp.id = r.plan_id
                                    WHERE r.move_line_id = aml.id AND pp.state = 'active'))
                """,
                ids=lines.ids,
                today=today,
            )
        )
        return lines.browse(row[0] for row in self.env.cr.fetchall())

    def test_dispute_promise_and_plan_exclude_their_items(self):
        disputed, promised, planned, free = (self._invoice(100 * n, days_late=20) for n in (1, 2, 3, 4))
        lines = {move: self._receivable(move) for move in (disputed, promised, planned, free)}
        dispute = self.env["recouvrement.dispute"].create({"move_id": disputed.id})
        promise = self.env["recouvrement.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_line_ids": [(6, 0, lines[promised].ids)],
                "date": TODAY + timedelta(days=5),
            }
        )
        wizard = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_context(active_model="account.move", active_ids=planned.ids)
            .create({"date_first": date(2026, 7, 1)})
        )
        plan = self.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"])
        all_lines = sum(lines.values(), self.env["account.move.line"])
        self.assertEqual(self._excluded(all_lines, TODAY), lines[disputed] | lines[promised])
        plan.action_confirm()
        self.assertEqual(self._excluded(all_lines, TODAY), lines[disputed] | lines[promised] | lines[planned])
        # grace: excluded up to date + grace days, then broken and back in the run
        grace_end = promise.date + timedelta(days=promise.grace_days)
        self.assertIn(lines[promised], self._excluded(all_lines, grace_end))
        self.env["recouvrement.promise"]._update_states(grace_end + timedelta(days=1))
        self.assertEqual(promise.state, "broken")
        dispute.resolution_note = "Unfounded"
        dispute.action_reject()
        self.assertEqual(self._excluded(all_lines, grace_end + timedelta(days=1)), lines[planned])
