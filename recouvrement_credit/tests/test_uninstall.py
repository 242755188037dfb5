from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..hooks import uninstall_hook
from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestUninstall(DunningCommon):
    """Uninstalling the addon deletes the dunning levels that reminders refer to. PostgreSQL runs
    the foreign-key actions this triggers in the order of their constraints' creation, which varies
    between databases: these tests force the order that used to fail."""

    def _constraints_to_levels(self, table):
        self.env.cr.execute(
            SQL(
                """
                SELECT conname, pg_get_constraintdef(oid)
                  FROM pg_constraint
                 WHERE conrelid = %s::regclass AND confrelid = 'recouvrement_dunning_level'::regclass
                """,
                table,
            )
        )
        return self.env.cr.fetchall()

    def _first_action_on_level_delete(self):
        """The table whose foreign-key action PostgreSQL runs first when a level is deleted."""
        self.env.cr.execute(
            """
            SELECT c.conrelid::regclass::text
              FROM pg_trigger t
              JOIN pg_constraint c ON c.oid = t.tgconstraint
             WHERE t.tgrelid = 'recouvrement_dunning_level'::regclass
               AND c.conrelid::regclass::text IN ('recouvrement_dunning_communication',
                                                  'recouvrement_dunning_communication_line')
             ORDER BY t.tgname
             LIMIT 1
            """
        )
        return self.env.cr.fetchone()[0]

    def _recreate_constraints_to_levels(self, table):
        for name, definition in self._constraints_to_levels(table):
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s DROP CONSTRAINT %s, ADD CONSTRAINT %s %s",
                    SQL.identifier(table),
                    SQL.identifier(name),
                    SQL.identifier(name),
                    SQL(definition),
                )
            )

    def _act_on_reminders_last(self):
        """Recreate the constraints to the levels, the reminders' one last, so that its action runs
        after those of the reminded items (set to no level): the order that failed one uninstallation
        in two. All recreated now, their triggers' names have ids of the same length and sort in
        their creation order."""
        self._recreate_constraints_to_levels("recouvrement_dunning_communication_line")
        self._recreate_constraints_to_levels("recouvrement_dunning_communication")
        self.assertEqual(self._first_action_on_level_delete(), "recouvrement_dunning_communication_line")

    def _reminders_at_two_levels(self):
        self._invoice(300.0, days_late=3)
        first = self._run(TODAY)
        second = self._run(TODAY + timedelta(days=10))
        self._send(first | second)
        self.assertTrue(second.line_ids.previous_level_id)
        return first | second

    def test_uninstall_whatever_the_order_of_foreign_key_actions(self):
        reminders = self._reminders_at_two_levels()
        self._act_on_reminders_last()
        levels = self.standard.level_ids

        uninstall_hook(self.env)
        # what ir.model.data does with the addon's scenarios, then its levels
        with self.env.cr.savepoint():
            self.standard.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
            levels.exists().with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()

        self.assertFalse(levels.exists())
        self.assertFalse(reminders.exists())

    def test_installed_addon_keeps_reminders_of_a_deleted_scenario(self):
        reminders = self._reminders_at_two_levels()
        self._act_on_reminders_last()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.standard.unlink()
        with self.assertRaisesRegex(UserError, "Reminders were sent at this level"):
            reminders.level_id.unlink()
        self.assertEqual(len(reminders.exists()), 2)
