from odoo.tools import SQL

# The reminder tables, each before the tables it points to.
REMINDER_TABLES = (
    "recouvrement_dunning_dispatch",
    "recouvrement_dunning_communication_line",
    "recouvrement_dunning_communication",
    "recouvrement_dunning_run",
)


def uninstall_hook(env):
    """Empty the reminder tables before Odoo deletes the dunning levels and scenarios they refer to.

    Odoo drops these tables with the addon anyway. Left in place, they would make the deletion of
    the levels run several foreign-key actions at once (reminded items set to no level, reminders
    refused or removed) in an order PostgreSQL takes from the constraints' creation order, which
    varies between databases: children first, in one fixed order, leaves nothing to chance.
    """
    for table in REMINDER_TABLES:
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
