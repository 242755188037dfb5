from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY
from odoo.addons.recouvrement_credit.tests.dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLegalCandidates(DunningCommon):
    """*Invoices to Escalate* lists what the dunning handed over, not the overdue list again."""

    def _candidates(self):
        action = self.env.ref("recouvrement_legal.account_move_action_legal_candidates")
        return self.env["account.move"].with_user(self.collector).search(safe_eval(action.domain))

    def test_only_what_the_dunning_handed_over(self):
        handed_over = self._invoice(900.0, days_late=50)
        three_days_late = self._invoice(
            100.0, days_late=3, partner=self.env["res.partner"].create({"name": "B"})
        )
        self.assertFalse(self._candidates(), "being late is not enough")
        reminded = self.communications
        for offset in range(0, 80, 5):
            reminded |= self._run(TODAY + timedelta(days=offset))
            if reminded.filtered(lambda c: c.level_id.propose_legal):
                break
        handover = reminded.filtered(lambda c: c.level_id.propose_legal)
        self.assertEqual(handover.state, "to_review", "the handover level is under review")
        self.assertIn(handed_over, self._candidates())
        self.assertNotIn(three_days_late, self._candidates())
