from odoo import fields, models
from odoo.tools import SQL

# How many months, this one included, the dashboard's trend shows.
TREND_MONTHS = 12
# The months of the view: the trend's, and the two before them for its 3-month DSO.
VIEW_MONTHS = TREND_MONTHS + 2


class RecouvrementCollectionsMonth(models.Model):
    """Credit sales and receivables of each company over the last 14 months, this one included, for
    the Collections dashboard's DSO trend over 12 months, each month's DSO over its last 3 months
    (the KPI report computes any period, with the countback DSO and the other KPIs).

    Same definitions as ``recouvrement.collections.kpi``: credit sales are the invoices less credit
    notes posted in the month, taxes included; AR is the receivable accounts' balance at the month's
    end (today for this month); DSO = AR ÷ credit sales × the month's days (elapsed days for this
    month). ``months_ago`` (0 this month) lets a dashboard pick a month without a dated domain. One
    pass over the receivable lines, grouped by month, then running sums."""

    _name = "recouvrement.collections.month"
    _description = "Collections month"
    _auto = False
    _order = "company_id, month"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(readonly=True)
    months_ago = fields.Integer(readonly=True, aggregator=None)
    days = fields.Integer("Days Counted", readonly=True, aggregator="max")
    credit_sales = fields.Monetary(readonly=True)
    ar = fields.Monetary("Receivables", readonly=True)
    dso = fields.Float("DSO (Simple)", digits=(16, 1), readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH month AS (
                SELECT company.id AS company_id, start::date AS month,
                       LEAST((start + INTERVAL '1 month - 1 day')::date, %(today)s::date) AS month_end
                  FROM res_company company
                 CROSS JOIN generate_series(
                       date_trunc('month', %(today)s::date) - %(back)s * INTERVAL '1 month',
                       date_trunc('month', %(today)s::date), INTERVAL '1 month'
                       ) start
            ), movement AS (
                SELECT aml.company_id, date_trunc('month', aml.date)::date AS month,
                       SUM(aml.balance) AS balance,
                       SUM(aml.balance) FILTER (
                           WHERE move.move_type IN ('out_invoice', 'out_refund')
                       ) AS sales
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND aml.date <= %(today)s
                 GROUP BY 1, 2
            ), figures AS (
                SELECT month.company_id, month.month, month.month_end,
                       (month.month_end - month.month + 1) AS days,
                       COALESCE(this.sales, 0) AS credit_sales,
                       (SELECT COALESCE(SUM(before.balance), 0)
                          FROM movement before
                         WHERE before.company_id = month.company_id AND before.month <= month.month
                       ) AS ar
                  FROM month
                  LEFT JOIN movement this ON this.company_id = month.company_id AND this.month = month.month
            )
            SELECT ROW_NUMBER() OVER (ORDER BY company_id, month) AS id, company_id, month,
                   ((DATE_PART('year', %(today)s::date) - DATE_PART('year', month)) * 12
                    + DATE_PART('month', %(today)s::date) - DATE_PART('month', month))::int AS months_ago,
                   days, credit_sales, ar,
                   CASE WHEN credit_sales > 0 THEN ar / credit_sales * days ELSE 0 END AS dso
              FROM figures
            """,
            today=today,
            back=VIEW_MONTHS - 1,
        )

    def _flush_search(self, *args, **kwargs):
        for model in ("account.move.line", "account.move"):
            self.env[model].flush_model()
        return super()._flush_search(*args, **kwargs)
