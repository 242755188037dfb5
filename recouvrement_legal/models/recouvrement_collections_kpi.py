from odoo import api, models
from odoo.tools import SQL


class RecouvrementCollectionsKpi(models.TransientModel):
    """The legal figures of the collections KPIs: doubtful receivables and legal costs."""

    _inherit = "recouvrement.collections.kpi"

    @api.model
    def _get_activity_models(self):
        # the deadlines of legal cases are their owners' activities
        return {**super()._get_activity_models(), "recouvrement.legal.case": False}

    def _get_doubtful_amounts(self, month_ends):
        """What was left on each month end of the doubtful items (416) that the cases' reclassification
        entries dated on or before it created: their amount less the matchings (payments, write-offs)
        dated on or before it. One SQL aggregate for all the month ends."""
        values = super()._get_doubtful_amounts(month_ends)
        for model in ("recouvrement.legal.case.line", "account.move.line", "account.partial.reconcile"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT month_end.day, SUM(aml.balance - COALESCE(matched.amount, 0))
                  FROM unnest(%(month_ends)s::date[]) AS month_end(day)
                  JOIN recouvrement_legal_case_line case_line ON case_line.doubtful_line_id IS NOT NULL
                  JOIN account_move_line aml ON aml.id = case_line.doubtful_line_id
                  LEFT JOIN LATERAL (
                       SELECT SUM(part.amount) AS amount
                         FROM account_partial_reconcile part
                        WHERE part.debit_move_id = aml.id AND part.max_date <= month_end.day
                       ) matched ON TRUE
                 WHERE aml.company_id IN %(companies)s
                   AND aml.parent_state = 'posted'
                   AND aml.date <= month_end.day
                   AND %(customer)s
                 GROUP BY 1
                """,
                month_ends=list(month_ends),
                companies=tuple(self._get_companies().ids),
                customer=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
            )
        )
        for day, amount in rows:
            values[day] = values.get(day, 0.0) + amount
        return values

    def _get_legal_costs(self, date_from, date_to):
        """The cases' costs by month of their date, whoever bears them (what recovery cost us)."""
        values = super()._get_legal_costs(date_from, date_to)
        for model in ("recouvrement.legal.cost", "recouvrement.legal.case"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT date_trunc('month', cost.date)::date, SUM(cost.amount)
                  FROM recouvrement_legal_cost cost
                  JOIN recouvrement_legal_case legal_case ON legal_case.id = cost.case_id
                 WHERE cost.company_id IN %(companies)s
                   AND cost.date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(customer)s
                 GROUP BY 1
                """,
                companies=tuple(self._get_companies().ids),
                date_from=date_from,
                date_to=date_to,
                customer=self._get_customer_condition(
                    SQL("legal_case.partner_id"), SQL("legal_case.company_id")
                ),
            )
        )
        for month, amount in rows:
            values[month] = values.get(month, 0.0) + amount
        return values
