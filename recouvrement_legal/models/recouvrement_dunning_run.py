from odoo import models
from odoo.tools import SQL


class RecouvrementDunningRun(models.Model):
    _inherit = "recouvrement.dunning.run"

    def _get_item_exclusions(self):
        """Items of an open legal case are no longer reminded: the case follows them."""
        return [
            *super()._get_item_exclusions(),
            SQL(
                """EXISTS (SELECT 1 FROM recouvrement_legal_case_line legal_line
                            WHERE legal_line.move_line_id = aml.id AND legal_line.state = 'open')"""
            ),
            # debts born before the opening of insolvency proceedings: they are declared, not chased
            SQL(
                """COALESCE(cp.recouvrement_insolvency, FALSE) AND EXISTS (
                       SELECT 1 FROM account_move insolvency_move
                        WHERE insolvency_move.id = aml.move_id
                          AND (cp.legal_insolvency_judgment_date IS NULL
                               OR insolvency_move.invoice_date < cp.legal_insolvency_judgment_date))"""
            ),
        ]
