from odoo import api, models
from odoo.tools import SQL


class RecouvrementCreditPosition(models.Model):
    _inherit = "recouvrement.credit.position"

    def _collect_facts(self, commercial, today):
        """Add ``has_legal_case``: the customer has an open legal case in the company (the rule
        'Open legal case' and the risk factor read it)."""
        facts = super()._collect_facts(commercial, today)
        self.env["recouvrement.legal.case"].flush_model(["state", "partner_id", "company_id"])
        self.env.cr.execute(self._legal_cases_query({"partners": list(commercial.ids)}))
        for company_id, partner_id, has_open in self.env.cr.fetchall():
            facts[(company_id, partner_id)]["has_legal_case"] = bool(has_open)
        return facts

    @api.model
    def _legal_cases_query(self, params):
        """Every customer with a case, open or not: a closed case sets the fact back to False."""
        return SQL(
            """
            SELECT c.company_id, c.partner_id, BOOL_OR(c.state = 'open')
              FROM recouvrement_legal_case c
             WHERE c.partner_id = ANY(%(partners)s)
          GROUP BY c.company_id, c.partner_id
            """,
            **params,
        )
