from odoo.tools import SQL

# The legal records, each before the records it refers to; the procedure types, their steps and
# deadline rules, and the stages are the addon's data, deleted by Odoo afterwards.
CASE_MODELS = (
    "recouvrement.legal.deadline",
    "recouvrement.legal.agency.report",
    "recouvrement.legal.prescription.event",
    "recouvrement.legal.procedure",
    "recouvrement.legal.party",
    "recouvrement.legal.cost",
    "recouvrement.legal.case.line",
    "recouvrement.legal.case",
)


def uninstall_hook(env):
    """Empty the legal records before Odoo deletes the procedure types and stages they refer to.

    Odoo drops these tables with the addon anyway; left in place, a case's procedure refuses the
    deletion of its procedure type and the uninstallation logs database errors. The journal entries
    of doubtful debts stay: they are the company's accounts.
    """
    for model in CASE_MODELS:
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(env[model]._table)))
