from odoo.tests import TransactionCase, tagged

from .common import RecouvrementTestMixin


@tagged("post_install", "-at_install")
class TestMenus(RecouvrementTestMixin, TransactionCase):
    def test_menus_resolve_for_collectors_and_managers(self):
        self.assert_menus_resolve("recouvrement_credit", self._new_collector())
        self.assert_menus_resolve("recouvrement_credit", self._new_credit_manager())

    def test_configuration_is_for_managers_only(self):
        collector = self._new_collector()
        visible = self.env["ir.ui.menu"].with_user(collector)._visible_menu_ids()
        self.assertNotIn(self.env.ref("recouvrement_credit.menu_configuration").id, visible)
        self.assertIn(self.env.ref("recouvrement_credit.menu_collections_root").id, visible)

    def test_app_menu_is_translated(self):
        root = self.env.ref("recouvrement_credit.menu_collections_root")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["recouvrement_credit"], ["fr_FR"], overwrite=True)
        self.assertEqual(root.with_context(lang="fr_FR").name, "Recouvrement")
        self.assertEqual(root.with_context(lang="en_US").name, "Collections")
