from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY, CreditCommon

ACTION = "recouvrement_legal.account_move_action_legal_candidates"
MENU = "recouvrement_legal.menu_legal_candidates"


@tagged("post_install", "-at_install")
class TestLegalEscalation(CreditCommon, TransactionCase):
    """*Collections > Legal > Invoices to Escalate*: the unpaid customer invoices that dunning did
    not recover, overdue ones first, for the collection team only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env.ref(ACTION)

    def _candidates(self, user, overdue_only=False):
        domain = safe_eval(self.action.domain) + [("partner_id", "=", self.customer.id)]
        if overdue_only:  # what the action's default "Overdue" filter adds on TODAY
            domain.append(("invoice_date_due", "<", TODAY))
        return self.env["account.move"].with_user(user).search(domain)

    def test_lists_the_unpaid_posted_customer_invoices(self):
        late = self._invoice(1000.0, days_late=35)
        partly_paid = self._invoice(800.0, days_late=20)
        not_due = self._invoice(600.0, days_late=-10)
        paid = self._invoice(400.0, days_late=50)
        self._invoice(300.0, days_late=50, post=False)  # draft
        self._invoice(200.0, days_late=50, move_type="out_refund")
        self._invoice(100.0, days_late=50, move_type="in_invoice")
        self._pay(300.0, invoice=partly_paid)
        self._pay(400.0, invoice=paid)
        self.assertEqual(self._candidates(self.collector), late | partly_paid | not_due)
        self.assertEqual(self._candidates(self.collector, overdue_only=True), late | partly_paid)

    def test_opens_on_the_overdue_invoices(self):
        context = safe_eval(self.action.context)
        self.assertEqual(context.get("search_default_late"), 1)
        self.assertFalse(context.get("create", True), "escalation starts from existing invoices")
        arch = etree.fromstring(self.action.search_view_id.arch)
        self.assertTrue(arch.xpath("//filter[@name='late']"), "the default filter exists in the search view")

    def test_for_the_collection_team_only(self):
        self.assert_menus_resolve("recouvrement_legal", self.collector)
        self.assert_menus_resolve("recouvrement_legal", self.manager)
        menu = self.env.ref(MENU).id
        self.assertIn(menu, self.env["ir.ui.menu"].with_user(self.collector)._visible_menu_ids())
        # a salesperson who invoices, outside the collection team, neither sees nor opens it
        self.assertNotIn(menu, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())
        self.assertIn(self.collector, self.action.groups_id.users)
        self.assertNotIn(self.salesman, self.action.groups_id.users)
