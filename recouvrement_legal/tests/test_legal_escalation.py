from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.recouvrement_credit.tests.credit_common import CreditCommon

ACTION = "recouvrement_legal.account_move_action_legal_candidates"
MENU = "recouvrement_legal.menu_legal_candidates"


@tagged("post_install", "-at_install")
class TestLegalEscalation(CreditCommon, TransactionCase):
    """*Collections > Legal*: for the collection team only, every legal model secured (what the
    *Invoices to Escalate* list holds is tested in test_legal_candidates)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env.ref(ACTION)

    def test_for_the_collection_team_only(self):
        self.assert_menus_resolve("recouvrement_legal", self.collector)
        self.assert_menus_resolve("recouvrement_legal", self.manager)
        menu = self.env.ref(MENU).id
        self.assertIn(menu, self.env["ir.ui.menu"].with_user(self.collector)._visible_menu_ids())
        # a salesperson who invoices, outside the collection team, neither sees nor opens it
        self.assertNotIn(menu, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())
        self.assertIn(self.collector, self.action.groups_id.users)
        self.assertNotIn(self.salesman, self.action.groups_id.users)
        self.assertFalse(safe_eval(self.action.context).get("create", True), "starts from invoices")

    def test_models_secured(self):
        self.assert_models_secured("recouvrement_legal")
