"""Test helpers shared by the Recouvrement addons (import them from other addons' tests)."""

from unittest.mock import patch

import requests

from odoo.tests import common, new_test_user

# How long headless Chromium may take to start and to answer its first requests.
BROWSER_PATIENCE = 60  # seconds


class RecouvrementTestMixin:
    """Assertions every Recouvrement addon runs on its own records."""

    @classmethod
    def _new_collector(cls, login="collector", **kwargs):
        return new_test_user(cls.env, login=login, groups="recouvrement_credit.group_user", **kwargs)

    @classmethod
    def _new_credit_manager(cls, login="credit_manager", **kwargs):
        return new_test_user(cls.env, login=login, groups="recouvrement_credit.group_manager", **kwargs)

    def _module_records(self, module, model):
        data = self.env["ir.model.data"].search([("module", "=", module), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id")).exists()

    def assert_models_secured(self, module):
        """Each stored model of MODULE grants access to collectors and managers, and each model with
        a company has a multi-company record rule."""
        groups = self.env.ref("recouvrement_credit.group_user") | self.env.ref(
            "recouvrement_credit.group_manager"
        )
        for ir_model in self._module_records(module, "ir.model"):
            model = self.env[ir_model.model]
            if model._abstract or model._transient or model._original_module != module:
                continue
            access = self.env["ir.model.access"].search([("model_id", "=", ir_model.id)])
            for group in groups:
                self.assertTrue(
                    access.filtered(lambda a, g=group: a.group_id == g and a.perm_read),
                    f"{ir_model.model}: no read access for {group.full_name}",
                )
            if "company_id" in model._fields and model._fields["company_id"].store:
                rules = self.env["ir.rule"].search([("model_id", "=", ir_model.id), ("global", "=", True)])
                self.assertTrue(
                    rules.filtered(lambda r: "company_ids" in (r.domain_force or "")),
                    f"{ir_model.model}: no multi-company record rule",
                )

    def assert_menus_resolve(self, module, user):
        """Every menu of MODULE opens an existing action or has children; the user sees every menu
        their groups allow, and can read the model behind each of them."""
        menus = self._module_records(module, "ir.ui.menu")
        self.assertTrue(menus, f"{module} declares no menu")
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        for menu in menus:
            action = menu.action and menu.action.sudo()  # a Reference field: None on parent menus
            self.assertTrue((action and action.exists()) or menu.child_id, f"{menu.complete_name}: dead end")
            if not self._menu_allowed(menu, user):
                continue
            self.assertIn(menu.id, visible, f"{menu.complete_name}: hidden from {user.login}")
            if action and action._name == "ir.actions.act_window":
                self.assertTrue(
                    self.env[action.res_model].with_user(user).has_access("read"),
                    f"{menu.complete_name}: {user.login} cannot read {action.res_model}",
                )

    @staticmethod
    def _menu_allowed(menu, user):
        while menu:
            if menu.groups_id and not (menu.groups_id & user.groups_id):
                return False
            menu = menu.parent_id
        return True


class PatientBrowserMixin:
    """For HttpCase tests that drive headless Chromium (``browser_js``, ``start_tour``).

    Odoo waits 10 s for Chromium to start, then gives each of its first requests 3 s before it logs
    an error and gives up: on a busy machine Chromium takes longer, and the test failed or was
    skipped depending on the load. Waiting up to ``BROWSER_PATIENCE`` makes it independent of it."""

    def browser_js(self, *args, **kwargs):
        json_command = common.ChromeBrowser._json_command
        get = requests.get

        def patient_json_command(browser, command, timeout=3):
            def patient_get(url, timeout=None, **options):
                return get(url, timeout=BROWSER_PATIENCE, **options)

            with patch.object(common.requests, "get", patient_get):
                return json_command(browser, command, timeout=max(timeout, BROWSER_PATIENCE))

        iterations = int(BROWSER_PATIENCE / common.CHECK_BROWSER_SLEEP)
        with (
            patch.object(common.ChromeBrowser, "_json_command", patient_json_command),
            patch.object(
                common, "CHECK_BROWSER_ITERATIONS", max(common.CHECK_BROWSER_ITERATIONS, iterations)
            ),
        ):
            return super().browser_js(*args, **kwargs)
