from odoo.tests import TransactionCase, tagged

from odoo.addons.recouvrement_credit.tests.common import RecouvrementTestMixin


@tagged("post_install", "-at_install")
class TestLegalInstall(RecouvrementTestMixin, TransactionCase):
    def test_menus_resolve(self):
        self.assert_menus_resolve("recouvrement_legal", self._new_collector())

    def test_legal_menu_sits_in_the_collections_app(self):
        legal = self.env.ref("recouvrement_legal.menu_legal")
        self.assertEqual(legal.parent_id, self.env.ref("recouvrement_credit.menu_collections_root"))

    def test_models_secured(self):
        self.assert_models_secured("recouvrement_legal")
