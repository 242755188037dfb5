"""The three addons together form one "Collections" app (pytest-odoo, on the test database)."""

from cross_addon_case import CrossAddonCase


class TestCollectionsApp(CrossAddonCase):
    def test_app_menu_has_the_five_sections_in_order(self):
        root = self.env.ref("recouvrement_credit.menu_collections_root")
        self.assertEqual(
            [m.get_external_id()[m.id] for m in root.child_id.sorted("sequence")],
            [
                "recouvrement_credit.menu_credit",
                "recouvrement_credit.menu_dunning",
                "recouvrement_legal.menu_legal",
                "recouvrement_credit.menu_reporting",
                "recouvrement_credit.menu_configuration",
            ],
        )

    def test_the_addons_are_installed(self):
        modules = self.env["ir.module.module"].search([("name", "=like", "recouvrement\\_%")])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(
            sorted(modules.mapped("name")),
            [
                "recouvrement_credit",
                "recouvrement_credit_dashboard",
                "recouvrement_credit_queue",
                "recouvrement_credit_stock",
                "recouvrement_legal",
                "recouvrement_legal_portal",
                "recouvrement_portal",
            ],
        )
