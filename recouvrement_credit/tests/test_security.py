from odoo.tests import TransactionCase, tagged

from .common import RecouvrementTestMixin


@tagged("post_install", "-at_install")
class TestSecurity(RecouvrementTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_user = cls.env.ref("recouvrement_credit.group_user")
        cls.group_manager = cls.env.ref("recouvrement_credit.group_manager")

    def test_groups_hierarchy(self):
        self.assertIn(self.group_user, self.group_manager.implied_ids)
        self.assertEqual(self.group_user.category_id, self.group_manager.category_id)
        self.assertEqual(
            self.group_user.category_id, self.env.ref("recouvrement_credit.module_category_collections")
        )

    def test_accounting_managers_are_credit_managers(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Chief accountant",
                "login": "chief_accountant",
                "groups_id": [(6, 0, self.env.ref("account.group_account_manager").ids)],
            }
        )
        self.assertTrue(accountant.has_group("recouvrement_credit.group_manager"))
        self.assertTrue(accountant.has_group("recouvrement_credit.group_user"))

    def test_collector_reads_invoices_but_is_no_manager(self):
        collector = self._new_collector()
        self.assertFalse(collector.has_group("recouvrement_credit.group_manager"))
        self.assertTrue(self.env["account.move"].with_user(collector).has_access("read"))
        self.assertFalse(self.env["account.move"].with_user(collector).has_access("create"))

    def test_models_secured(self):
        self.assert_models_secured("recouvrement_credit")
