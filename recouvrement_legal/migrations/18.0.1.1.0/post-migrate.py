"""The credit insurer's notification delay loses the cover when missed: flag its deadline rule
(the procedure data are noupdate) and the deadlines already computed from it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("recouvrement_legal.legal_procedure_insurer_rule_notification", raise_if_not_found=False)
    if rule:
        rule.critical = True
        deadlines = env["recouvrement.legal.deadline"].search([("rule_id", "=", rule.id)])
        deadlines.filtered(lambda d: d.state == "pending")._sync_activities()
