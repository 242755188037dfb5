from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, date_utils

# How many months back the countback may look before giving up (the DSO is then that many months).
COUNTBACK_MONTHS = 12


class RecouvrementCollectionsKpi(models.TransientModel):
    """Collections KPIs per month over a period, in the company currency (formulas in the README):

    - credit sales: invoices less credit notes of the month, taxes included (what the receivable
      accounts were debited with);
    - AR: the receivable accounts' balance at the month's end; current AR: its part not yet due
      (the aged balance's "not due" bucket on that date);
    - DSO simple: AR ÷ the month's credit sales × the month's days;
    - DSO countback: the AR is matched against the credit sales of the month, then of the month
      before…: full months count their days, the last one its share;
    - best possible DSO: the same countback on the current AR; ADD = DSO countback − best DSO;
    - CEI: (opening AR + credit sales − closing AR) ÷ (opening AR + credit sales − closing current
      AR) × 100;
    - overdue share: (AR − current AR) ÷ AR × 100.
    """

    _name = "recouvrement.collections.kpi"
    _description = "Collections KPIs"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=11, day=1),
    )
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("recouvrement.collections.kpi.line", "kpi_id", "Months")

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for kpi in self:
            if kpi.date_from > kpi.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open(self):
        """Compute the months of the period and show them (table and DSO trend)."""
        self.ensure_one()
        self.line_ids.unlink()
        self.env["recouvrement.collections.kpi.line"].create(
            [{"kpi_id": self.id, **values} for values in self._get_monthly_values()]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.recouvrement_collections_kpi_line_action"
        )
        action["domain"] = [("kpi_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_monthly_values(self):
        """One dict per month of the period with the figures described on the model."""
        self.ensure_one()
        self.env["recouvrement.aged.balance"]._check_companies(self.company_id)
        months = self._get_months()
        first_sales_month = months[0] - relativedelta(months=COUNTBACK_MONTHS)
        sales = self._get_credit_sales(first_sales_month, months[-1] + relativedelta(months=1, days=-1))
        aged = self.env["recouvrement.aged.balance"]
        opening_ar = self._get_ar(months[0] - relativedelta(days=1))
        result = []
        for month in months:
            end = month + relativedelta(months=1, days=-1)
            ar = self._get_ar(end)
            current = sum(
                row["buckets"].get(0, 0.0)
                for row in aged.get_aged_balance(end, "due", self.company_id, "company_id")
            )
            month_sales = sales.get(month, 0.0)
            days = (end - month).days + 1
            dso = self._countback(ar, month, sales)
            best = self._countback(current, month, sales)
            collectable = opening_ar + month_sales - current
            result.append(
                {
                    "month": month,
                    "credit_sales": month_sales,
                    "ar": ar,
                    "current_ar": current,
                    "dso_simple": ar / month_sales * days if month_sales > 0 else 0.0,
                    "dso_countback": dso,
                    "best_dso": best,
                    "add": dso - best,
                    "cei": (opening_ar + month_sales - ar) / collectable * 100 if collectable > 0 else 0.0,
                    "overdue_share": (ar - current) / ar * 100 if ar > 0 else 0.0,
                }
            )
            opening_ar = ar
        return result

    def _get_months(self):
        start = date_utils.start_of(self.date_from, "month")
        months = []
        while start <= self.date_to:
            months.append(start)
            start += relativedelta(months=1)
        return months

    @staticmethod
    def _countback(amount, month, sales):
        """Days of credit sales, counted back from MONTH, that AMOUNT represents."""
        days = 0.0
        for back in range(COUNTBACK_MONTHS):
            start = month - relativedelta(months=back)
            month_days = (start + relativedelta(months=1) - start).days
            month_sales = sales.get(start, 0.0)
            if amount <= 0:
                break
            if month_sales > 0 and amount < month_sales:
                return days + amount / month_sales * month_days
            days += month_days
            amount -= max(month_sales, 0.0)
        return days

    def _get_credit_sales(self, date_from, date_to):
        """{first day of month: invoices less credit notes posted in the month, taxes included}."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT date_trunc('month', aml.date)::date, SUM(aml.balance)
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND aml.date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY 1
                """,
                company=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return dict(rows)

    def _get_ar(self, on_date):
        """The receivable accounts' balance on ON_DATE."""
        self.env["account.move.line"].flush_model()
        [(balance,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(aml.balance), 0)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND aml.date <= %s
                """,
                self.company_id.id,
                on_date,
            )
        )
        return balance
