from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class RecouvrementCreditPosition(models.Model):
    """The customer's own collections KPIs over the last 12 months, next to its position: computed
    when read, for all the positions read at once, by a few SQL aggregates (``_get_collection_figures``),
    with the same definitions as the collections KPI report."""

    _inherit = "recouvrement.credit.position"

    collection_invoiced = fields.Monetary(
        "Invoiced (12 Months)",
        compute="_compute_collection_figures",
        help="Invoices less credit notes of the last 12 months, taxes included.",
    )
    collection_collected = fields.Monetary(
        "Collected (12 Months)",
        compute="_compute_collection_figures",
        help="Payments received from the customer in the last 12 months, refunds deducted.",
    )
    collection_dso = fields.Float(
        "DSO (12 Months)",
        digits=(16, 1),
        compute="_compute_collection_figures",
        help="Receivables ÷ invoiced in the last 12 months × 365 days.",
    )
    collection_overdue_share = fields.Float(
        "Overdue (%)",
        digits=(16, 1),
        compute="_compute_collection_figures",
        help="Share of the open invoices that is overdue.",
    )
    collection_promises_due = fields.Integer(
        "Promises Due (12 Months)", compute="_compute_collection_figures"
    )
    collection_promise_kept_rate = fields.Float(
        "Promises Kept (%)",
        digits=(16, 1),
        compute="_compute_collection_figures",
        help="Promises to pay falling due in the last 12 months that were kept.",
    )
    collection_levels_reached = fields.Integer(
        "Items Dunned (12 Months)",
        compute="_compute_collection_figures",
        help="Times a reminder of the last 12 months moved one of the customer's items to a level.",
    )
    collection_cure_rate = fields.Float(
        "Cure Rate (%)",
        digits=(16, 1),
        compute="_compute_collection_figures",
        help="Items dunned in the last 12 months that were paid before the next level.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends(
        "partner_id", "company_id", "amount_open_invoices", "amount_unapplied_credits", "amount_overdue"
    )
    def _compute_collection_figures(self):
        figures = self._get_collection_figures(fields.Date.context_today(self))
        rate = self.env["recouvrement.collections.kpi"]._rate
        for position in self:
            facts = figures.get((position.company_id.id, position.partner_id.id), {})
            invoiced = facts.get("invoiced", 0.0)
            receivables = position.amount_open_invoices + position.amount_unapplied_credits
            position.collection_invoiced = invoiced
            position.collection_collected = facts.get("collected", 0.0)
            position.collection_dso = receivables / invoiced * 365 if invoiced > 0 else 0.0
            position.collection_overdue_share = rate(position.amount_overdue, position.amount_open_invoices)
            position.collection_promises_due = facts.get("promises_due", 0)
            position.collection_promise_kept_rate = rate(
                facts.get("promises_kept", 0), facts.get("promises_due", 0)
            )
            position.collection_levels_reached = facts.get("reached", 0)
            position.collection_cure_rate = rate(facts.get("cured", 0), facts.get("reached", 0))

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_collection_figures(self, today):
        """{(company id, customer id): {fact: value}} of these positions over the 12 months ending
        TODAY, from one SQL aggregate per ``_collection_*_query``."""
        if not self.partner_id or not self.company_id:
            return {}
        for model in (
            "account.move.line",
            "account.move",
            "account.partial.reconcile",
            "recouvrement.promise",
            "recouvrement.dunning.communication",
            "recouvrement.dunning.communication.line",
        ):
            self.env[model].flush_model()
        params = {
            "partners": list(self.partner_id.ids),
            "companies": tuple(self.company_id.ids),
            "date_from": today - relativedelta(years=1, days=-1),
            "date_to": today,
        }
        figures = {}
        for query in (
            self._collection_ledger_query(params),
            self._collection_promises_query(params),
            self._collection_cure_query(params),
        ):
            for row in self.env.execute_query_dict(query):
                key = (row.pop("company_id"), row.pop("partner_id"))
                figures.setdefault(key, {}).update({name: value or 0 for name, value in row.items()})
        return figures

    @api.model
    def _collection_ledger_query(self, params):
        """Invoiced (invoices less credit notes) and collected (receivable lines of payments and bank
        statement lines, net) per company and customer, as the KPI report counts them."""
        return SQL(
            """
            SELECT aml.company_id, p.commercial_partner_id AS partner_id,
                   SUM(aml.balance) FILTER (WHERE move.move_type IN ('out_invoice', 'out_refund'))
                       AS invoiced,
                   -SUM(aml.balance) FILTER (
                       WHERE move.origin_payment_id IS NOT NULL OR move.statement_line_id IS NOT NULL
                   ) AS collected
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN account_account account ON account.id = aml.account_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND aml.company_id IN %(companies)s
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.date BETWEEN %(date_from)s AND %(date_to)s
          GROUP BY aml.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _collection_promises_query(self, params):
        """Promises falling due in the period (cancelled ones left out) and those kept."""
        return SQL(
            """
            SELECT promise.company_id, p.commercial_partner_id AS partner_id,
                   COUNT(*) AS promises_due, COUNT(*) FILTER (WHERE promise.state = 'kept') AS promises_kept
              FROM recouvrement_promise promise
              JOIN res_partner p ON p.id = promise.partner_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND promise.company_id IN %(companies)s
               AND promise.state != 'cancelled'
               AND promise.date BETWEEN %(date_from)s AND %(date_to)s
          GROUP BY promise.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _collection_cure_query(self, params):
        """Items moved to a dunning level by a reminder of the period, and those cured."""
        return SQL(
            """
            SELECT reached.company_id, p.commercial_partner_id AS partner_id,
                   COUNT(*) AS reached, COUNT(*) FILTER (WHERE reached.cured) AS cured
              FROM (%(reached)s) reached
              JOIN res_partner p ON p.id = reached.partner_id
          GROUP BY reached.company_id, p.commercial_partner_id
            """,
            reached=self.env["recouvrement.collections.kpi"]._get_levels_reached_query(
                SQL(
                    """aml.partner_id IN (SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))
                       AND comm.company_id IN %s AND comm.date BETWEEN %s AND %s""",
                    params["partners"],
                    params["companies"],
                    params["date_from"],
                    params["date_to"],
                )
            ),
        )
