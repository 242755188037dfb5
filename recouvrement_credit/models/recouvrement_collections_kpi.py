import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, date_utils

# How many months back the countback may look before giving up (the DSO is then that many months).
COUNTBACK_MONTHS = 12
# An invoice still unpaid this many days after its date is "at risk" (at-risk rate).
AT_RISK_DAYS = 90


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
    - overdue share: (AR − current AR) ÷ AR × 100;
    - at-risk rate (``_get_at_risk_values``): the share of the month's invoices still unpaid 90 days
      after their date, over the invoices whose 90 days are over;
    - doubtful share: doubtful receivables at the month's end (``_get_doubtful_amounts``, a hook the
      legal addon implements) ÷ AR × 100;
    - recovery cost (``_get_recovery_values``): penalties and fees invoiced, penalty invoices paid,
      legal costs (``_get_legal_costs``, a hook the legal addon implements);
    - dunning effectiveness (``_get_dunning_values``): promise-kept rate (by count and amount),
      dispute resolution time, payment plans honoured; cure rate per level (``_get_cure_rates``);
    - per collector (``_get_collector_values``): cash collected, amount overdue, CEI, actions done.

    The figures cover the companies chosen (they must share a currency) and, when set, only the
    customers of the collectors, tags and countries chosen (``_get_customer_condition``).
    """

    _name = "recouvrement.collections.kpi"
    _inherit = ["recouvrement.xlsx.export.mixin"]
    _description = "Collections KPIs"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=11, day=1),
    )
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The first company chosen: the figures are in its currency.",
    )
    company_ids = fields.Many2many("res.company", string="Companies", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    collector_user_ids = fields.Many2many(
        "res.users", string="Collectors", help="Only the customers these collectors follow."
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", help="Only the customers with one of these tags."
    )
    country_ids = fields.Many2many(
        "res.country", string="Countries", help="Only the customers of these countries."
    )
    line_ids = fields.One2many("recouvrement.collections.kpi.line", "kpi_id", "Months")
    level_ids = fields.One2many("recouvrement.collections.kpi.level", "kpi_id", "Cure Rates")
    collector_ids = fields.One2many("recouvrement.collections.kpi.collector", "kpi_id", "Collector Figures")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("company_ids")
    def _compute_company_id(self):
        for kpi in self:
            kpi.company_id = kpi.company_ids._origin[:1] or kpi.company_id or self.env.company

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for kpi in self:
            if kpi.date_from > kpi.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    @api.constrains("company_id", "company_ids")
    def _check_currencies(self):
        for kpi in self:
            if len(kpi._get_companies().currency_id) > 1:
                raise UserError(
                    self.env._(
                        "The companies of a KPI report must share a currency: %(currencies)s differ.",
                        currencies=", ".join(kpi._get_companies().currency_id.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open(self):
        """Compute the months of the period and show them (table and DSO trend)."""
        self.ensure_one()
        self._fill_lines()
        return self._get_lines_action("recouvrement_credit.recouvrement_collections_kpi_line_action")

    def action_export_xlsx(self):
        """Download the KPI table (one row per month) as an XLSX workbook."""
        return self._action_download_xlsx(
            self.env._(
                "Collections KPIs %(date_from)s %(date_to)s.xlsx",
                date_from=fields.Date.to_string(self.date_from),
                date_to=fields.Date.to_string(self.date_to),
            )
        )

    def action_open_cure_rates(self):
        """Cure rate per dunning level and month."""
        self.ensure_one()
        self._fill_lines()
        return self._get_lines_action("recouvrement_credit.recouvrement_collections_kpi_level_action")

    def action_open_collectors(self):
        """Cash collected, amount overdue and actions done per collector and month."""
        self.ensure_one()
        self._fill_lines()
        return self._get_lines_action("recouvrement_credit.recouvrement_collections_kpi_collector_action")

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_lines_action(self, xmlid):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("kpi_id", "=", self.id)]
        return action

    def _fill_lines(self):
        """Write the months, the cure rates and the collectors' figures of the period."""
        self.ensure_one()
        self.line_ids.unlink()
        self.level_ids.unlink()
        self.collector_ids.unlink()
        self.env["recouvrement.collections.kpi.line"].create(
            [{"kpi_id": self.id, **values} for values in self._get_monthly_values()]
        )
        self.env["recouvrement.collections.kpi.level"].create(
            [{"kpi_id": self.id, **values} for values in self._get_cure_rates()]
        )
        self.env["recouvrement.collections.kpi.collector"].create(
            [{"kpi_id": self.id, **values} for values in self._get_collector_values()]
        )

    def _get_monthly_values(self):
        """One dict per month of the period with the figures described on the model."""
        self.ensure_one()
        self.env["recouvrement.aged.balance"]._check_companies(self._get_companies())
        months = self._get_months()
        month_ends = [month + relativedelta(months=1, days=-1) for month in months]
        dunning = self._get_dunning_values()
        at_risk = self._get_at_risk_values()
        recovery = self._get_recovery_values()
        doubtful = self._get_doubtful_amounts(month_ends)
        first_sales_month = months[0] - relativedelta(months=COUNTBACK_MONTHS)
        sales = self._get_credit_sales(first_sales_month, month_ends[-1])
        opening = months[0] - relativedelta(days=1)
        # The receivables' balance and their part not yet due at every month's end: one SQL aggregate.
        split = self._get_due_split([opening, *month_ends], "company_id")
        opening_ar = sum(amounts["balance"] for (day, _company), amounts in split.items() if day == opening)
        result = []
        for month, end in zip(months, month_ends, strict=True):
            at_end = [amounts for (day, _company), amounts in split.items() if day == end]
            ar = sum(amounts["balance"] for amounts in at_end)
            current = sum(amounts["not_due"] for amounts in at_end)
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
                    "doubtful": doubtful.get(end, 0.0),
                    "doubtful_share": doubtful.get(end, 0.0) / ar * 100 if ar > 0 else 0.0,
                    **at_risk.get(month, {}),
                    **recovery.get(month, {}),
                    **dunning.get(month, {}),
                }
            )
            opening_ar = ar
        return result

    def _get_companies(self):
        """The companies the figures cover (the report's company when none is chosen)."""
        return self.company_ids or self.company_id

    def _get_customer_condition(self, partner, company):
        """SQL condition: the customer of PARTNER (an SQL expression giving a partner id, contact or
        commercial entity) is in the report's segment: followed in COMPANY (an SQL expression giving
        its id) by one of the collectors, with one of the tags, in one of the countries, for the
        filters that are set. TRUE without filters. Can be inherited to add a filter."""
        self.ensure_one()
        conditions = []
        if self.collector_user_ids:
            conditions.append(
                SQL(
                    "(segment.dunning_collector_id ->> %s::text)::int IN %s",
                    company,
                    tuple(self.collector_user_ids.ids),
                )
            )
        if self.partner_category_ids:
            conditions.append(
                SQL(
                    """EXISTS (SELECT 1 FROM res_partner_res_partner_category_rel tag
                                WHERE tag.partner_id = segment.id AND tag.category_id IN %s)""",
                    tuple(self.partner_category_ids.ids),
                )
            )
        if self.country_ids:
            conditions.append(SQL("segment.country_id IN %s", tuple(self.country_ids.ids)))
        if not conditions:
            return SQL("TRUE")
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner contact
                         JOIN res_partner segment ON segment.id = contact.commercial_partner_id
                        WHERE contact.id = %s AND %s)""",
            partner,
            SQL(" AND ").join(conditions),
        )

    def _get_due_split(self, dates, groupby):
        """The aged balance's ``get_due_split`` for the report's companies and customers:
        {(date, group): {"balance", "total", "not_due"}} for each of DATES, one SQL aggregate."""
        return self.env["recouvrement.aged.balance"].get_due_split(
            dates,
            self._get_companies(),
            groupby,
            condition=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
        )

    def _get_at_risk_values(self):
        """{month: at-risk figures} of the invoices dated in the month whose AT_RISK_DAYS are over
        today (younger ones are not judged yet), in one SQL aggregate: ``at_risk_billed`` (their
        amounts), ``at_risk_unpaid`` (what was still unpaid AT_RISK_DAYS days after their date:
        matchings dated later do not count) and ``at_risk_rate`` (unpaid ÷ billed × 100)."""
        self.ensure_one()
        for model in ("account.move.line", "account.move", "account.partial.reconcile"):
            self.env[model].flush_model()
        date_from, date_to = self._get_period()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT date_trunc('month', aml.date)::date AS month, SUM(aml.balance) AS billed,
                       SUM(aml.balance - COALESCE(paid.amount, 0)) AS unpaid
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
                  LEFT JOIN LATERAL (
                       SELECT SUM(part.amount) AS amount
                         FROM account_partial_reconcile part
                        WHERE part.debit_move_id = aml.id AND part.max_date <= aml.date + %(days)s
                       ) paid ON TRUE
                 WHERE aml.company_id IN %(companies)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND move.move_type = 'out_invoice'
                   AND aml.balance > 0
                   AND aml.date BETWEEN %(date_from)s AND %(date_to)s
                   AND aml.date + %(days)s <= %(today)s
                   AND %(customer)s
                 GROUP BY 1
                """,
                days=AT_RISK_DAYS,
                companies=tuple(self._get_companies().ids),
                date_from=date_from,
                date_to=date_to,
                today=fields.Date.context_today(self),
                customer=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
            )
        )
        return {
            row["month"]: {
                "at_risk_billed": row["billed"],
                "at_risk_unpaid": row["unpaid"],
                "at_risk_rate": self._rate(row["unpaid"], row["billed"]),
            }
            for row in rows
        }

    def _get_recovery_values(self):
        """{month: recovery figures}, in company currency, from SQL aggregates:

        - ``penalties_invoiced`` (interest and the fixed indemnity) and ``fees_invoiced`` (fees)
          charged by the penalty invoices posted in the month;
        - ``penalties_collected``: payments matched in the month with penalty invoices;
        - ``legal_costs``: the legal costs of the month (``_get_legal_costs``)."""
        self.ensure_one()
        for model in (
            "recouvrement.penalty.charge",
            "account.move.line",
            "account.partial.reconcile",
            "account.move",
        ):
            self.env[model].flush_model()
        date_from, date_to = self._get_period()
        params = {
            "companies": tuple(self._get_companies().ids),
            "date_from": date_from,
            "date_to": date_to,
        }
        values = {}

        def entry(month):
            return values.setdefault(
                month,
                {
                    "penalties_invoiced": 0.0,
                    "fees_invoiced": 0.0,
                    "penalties_collected": 0.0,
                    "legal_costs": 0.0,
                },
            )

        charged = self.env.execute_query(
            SQL(
                """
                SELECT date_trunc('month', line.date)::date, charge.kind = 'fee', -SUM(line.balance)
                  FROM recouvrement_penalty_charge charge
                  JOIN account_move_line line ON line.id = charge.penalty_line_id
                 WHERE charge.company_id IN %(companies)s
                   AND line.parent_state = 'posted'
                   AND line.date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(customer)s
                 GROUP BY 1, 2
                """,
                **params,
                customer=self._get_customer_condition(SQL("line.partner_id"), SQL("line.company_id")),
            )
        )
        for month, is_fee, amount in charged:
            entry(month)["fees_invoiced" if is_fee else "penalties_invoiced"] = amount
        collected = self.env.execute_query(
            SQL(
                """
                SELECT date_trunc('month', part.max_date)::date, SUM(part.amount)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_partial_reconcile part ON part.debit_move_id = aml.id
                  JOIN account_move_line counterpart ON counterpart.id = part.credit_move_id
                  JOIN account_move payment ON payment.id = counterpart.move_id
                 WHERE aml.move_id IN (SELECT charge.penalty_move_id FROM recouvrement_penalty_charge charge
                                        WHERE charge.company_id IN %(companies)s)
                   AND account.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND (payment.origin_payment_id IS NOT NULL OR payment.statement_line_id IS NOT NULL)
                   AND part.max_date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(customer)s
                 GROUP BY 1
                """,
                **params,
                customer=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
            )
        )
        for month, amount in collected:
            entry(month)["penalties_collected"] = amount
        for month, amount in self._get_legal_costs(date_from, date_to).items():
            entry(month)["legal_costs"] = amount
        return values

    def _get_doubtful_amounts(self, month_ends):
        """Hook: {month end: doubtful receivables (créances douteuses) of the report's customers on
        that day, in company currency}, for each date of MONTH_ENDS. None here: the legal addon
        reads its doubtful-debt accounts (416)."""
        return {}

    def _get_legal_costs(self, date_from, date_to):
        """Hook: {first day of month: legal costs of the report's customers dated in the month, in
        company currency} between DATE_FROM and DATE_TO. None here: the legal addon reads its cases'
        costs."""
        return {}

    def _get_months(self):
        start = date_utils.start_of(self.date_from, "month")
        months = []
        while start <= self.date_to:
            months.append(start)
            start += relativedelta(months=1)
        return months

    def _get_period(self):
        """First and last day of the whole months the period covers."""
        months = self._get_months()
        return months[0], months[-1] + relativedelta(months=1, days=-1)

    def _get_dunning_values(self):
        """{month: dunning effectiveness figures}, each from one SQL aggregate over the period:

        - promises falling due in the month (their promised date), cancelled ones left out:
          ``promises_due``, ``promises_kept`` (state kept: paid in full by the date plus the grace
          days), ``promise_kept_rate`` by count and ``promise_kept_amount_rate`` by amount, in
          company currency at the items' booking rate. Open promises count as not kept (yet);
        - disputes closed (resolved or rejected) in the month: ``disputes_closed`` and
          ``dispute_days``, the average days from opening to closing;
        - payment plans ended in the month (completed on ``date_done`` or broken on
          ``date_broken``): ``plans_ended`` and ``plans_honoured_rate`` (completed ÷ ended)."""
        self.ensure_one()
        for model in ("recouvrement.promise", "recouvrement.dispute", "recouvrement.payment.plan"):
            self.env[model].flush_model()
        self.env["account.move.line"].flush_model(["balance", "amount_currency"])
        date_from, date_to = self._get_period()
        params = {
            "companies": tuple(self._get_companies().ids),
            "currency": self.company_id.currency_id.id,
            "date_from": date_from,
            "date_to": date_to,
        }
        values = {}
        promises = self.env.execute_query_dict(self._get_promise_query(**params))
        disputes = self.env.execute_query_dict(self._get_dispute_query(**params))
        plans = self.env.execute_query_dict(self._get_plan_query(**params))
        for row in promises:
            values.setdefault(row["month"], {}).update(
                promises_due=row["due"],
                promises_kept=row["kept"],
                promise_kept_rate=self._rate(row["kept"], row["due"]),
                promise_kept_amount_rate=self._rate(row["amount_kept"], row["amount"]),
            )
        for row in disputes:
            values.setdefault(row["month"], {}).update(
                disputes_closed=row["closed"], dispute_days=float(row["days"])
            )
        for row in plans:
            values.setdefault(row["month"], {}).update(
                plans_ended=row["ended"], plans_honoured_rate=self._rate(row["done"], row["ended"])
            )
        return values

    def _get_promise_query(self, companies, currency, date_from, date_to):
        """Promises falling due per month: count and amount, all and kept (company currency: a
        promise in a foreign currency is converted at its items' booking rate)."""
        return SQL(
            """
            SELECT date_trunc('month', promise.date)::date AS month,
                   COUNT(*) AS due,
                   COUNT(*) FILTER (WHERE promise.state = 'kept') AS kept,
                   COALESCE(SUM(promise.amount * rate.factor), 0) AS amount,
                   COALESCE(SUM(promise.amount * rate.factor) FILTER (WHERE promise.state = 'kept'), 0)
                       AS amount_kept
              FROM recouvrement_promise promise
              LEFT JOIN LATERAL (
                   SELECT CASE WHEN promise.currency_id = %(currency)s OR SUM(aml.amount_currency) = 0 THEN 1
                               ELSE SUM(aml.balance) / SUM(aml.amount_currency) END AS factor
                     FROM recouvrement_promise_move_line_rel rel
                     JOIN account_move_line aml ON aml.id = rel.move_line_id
                    WHERE rel.promise_id = promise.id
                   ) rate ON TRUE
             WHERE promise.company_id IN %(companies)s
               AND promise.state != 'cancelled'
               AND promise.date BETWEEN %(date_from)s AND %(date_to)s
               AND %(customer)s
             GROUP BY 1
            """,
            companies=companies,
            customer=self._get_customer_condition(SQL("promise.partner_id"), SQL("promise.company_id")),
            currency=currency,
            date_from=date_from,
            date_to=date_to,
        )

    def _get_dispute_query(self, companies, currency, date_from, date_to):
        """Disputes closed (resolved or rejected) per month and their average days open."""
        return SQL(
            """
            SELECT date_trunc('month', dispute.date_closed)::date AS month, COUNT(*) AS closed,
                   AVG(dispute.date_closed - dispute.date_opened) AS days
              FROM recouvrement_dispute dispute
             WHERE dispute.company_id IN %(companies)s
               AND dispute.state IN ('resolved', 'rejected')
               AND dispute.date_closed BETWEEN %(date_from)s AND %(date_to)s
               AND %(customer)s
             GROUP BY 1
            """,
            companies=companies,
            customer=self._get_customer_condition(SQL("dispute.partner_id"), SQL("dispute.company_id")),
            date_from=date_from,
            date_to=date_to,
        )

    def _get_plan_query(self, companies, currency, date_from, date_to):
        """Payment plans ended per month (completed or broken) and how many were completed. Plans
        completed before ``date_done`` existed count on their last change."""
        return SQL(
            """
            SELECT date_trunc('month', ended.date)::date AS month, COUNT(*) AS ended,
                   COUNT(*) FILTER (WHERE ended.state = 'done') AS done
              FROM (
                   SELECT plan.state,
                          CASE WHEN plan.state = 'done' THEN COALESCE(plan.date_done, plan.write_date::date)
                               ELSE plan.date_broken END AS date
                     FROM recouvrement_payment_plan plan
                    WHERE plan.company_id IN %(companies)s AND plan.state IN ('done', 'broken')
                      AND %(customer)s
                   ) ended
             WHERE ended.date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1
            """,
            companies=companies,
            customer=self._get_customer_condition(SQL("plan.partner_id"), SQL("plan.company_id")),
            date_from=date_from,
            date_to=date_to,
        )

    def _get_cure_rates(self):
        """Cure rate per dunning level and month, in one SQL aggregate.

        An item reaches level N when a reminder (not cancelled) moves it there: a reminder line with
        ``advanced`` at level N, counted in the month of the reminder's date. It is cured when it is
        paid before it reaches a higher level: fully matched now (``reconciled``, by payments, credit
        notes or any matching), its last matching dated (``max_date``) before the date of the first
        later reminder that moved it higher, or at any date when none did. Items still open, or paid
        only after the next level, are not cured."""
        self.ensure_one()
        for model in (
            "recouvrement.dunning.communication",
            "recouvrement.dunning.communication.line",
            "account.move.line",
            "account.partial.reconcile",
        ):
            self.env[model].flush_model()
        date_from, date_to = self._get_period()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT date_trunc('month', reached.date)::date AS month, reached.level,
                       COUNT(*) AS reached, COUNT(*) FILTER (WHERE reached.cured) AS cured
                  FROM (%(reached)s) reached
                 GROUP BY 1, 2
                 ORDER BY 1, 2
                """,
                reached=self._get_levels_reached_query(
                    SQL(
                        "comm.company_id IN %s AND comm.date BETWEEN %s AND %s AND %s",
                        tuple(self._get_companies().ids),
                        date_from,
                        date_to,
                        self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
                    )
                ),
            )
        )
        return [
            {
                "month": row["month"],
                "level": row["level"],
                "reached": row["reached"],
                "cured": row["cured"],
                "cure_rate": self._rate(row["cured"], row["reached"]),
            }
            for row in rows
        ]

    @api.model
    def _get_levels_reached_query(self, condition):
        """SQL of the items reaching a dunning level, one row per reminder line that moved an item
        to a level (``advanced``, reminder not cancelled) and meets CONDITION (over ``comm``, the
        reminder, and ``aml``, the item): date (the reminder's), level, company_id, partner_id (the
        item's) and cured (see ``_get_cure_rates``). The one definition of a cure, which the
        customer's position reads too."""
        return SQL(
            """
            SELECT comm.date, level.level, aml.company_id, aml.partner_id,
                   settled.date IS NOT NULL AND (next.date IS NULL OR settled.date < next.date) AS cured
              FROM recouvrement_dunning_communication_line line
              JOIN recouvrement_dunning_communication comm ON comm.id = line.communication_id
              JOIN recouvrement_dunning_level level ON level.id = line.level_id
              JOIN account_move_line aml ON aml.id = line.move_line_id
              LEFT JOIN LATERAL (
                   SELECT MIN(next_comm.date) AS date
                     FROM recouvrement_dunning_communication_line next_line
                     JOIN recouvrement_dunning_communication next_comm
                       ON next_comm.id = next_line.communication_id
                     JOIN recouvrement_dunning_level next_level ON next_level.id = next_line.level_id
                    WHERE next_line.move_line_id = line.move_line_id
                      AND next_line.advanced
                      AND next_comm.state != 'cancelled'
                      AND next_level.level > level.level
                      AND next_comm.date >= comm.date
                   ) next ON TRUE
              LEFT JOIN LATERAL (
                   SELECT MAX(part.max_date) AS date
                     FROM account_partial_reconcile part
                    WHERE aml.reconciled
                      AND (part.debit_move_id = aml.id OR part.credit_move_id = aml.id)
                   ) settled ON TRUE
             WHERE comm.state != 'cancelled'
               AND line.advanced
               AND %s
            """,
            condition,
        )

    def _get_collector_values(self):
        """Per month and collector (the customer's ``dunning_collector_id`` in the company), from SQL
        aggregates:

        - ``collected``: cash received on the collector's customers' receivable accounts in the
          month: the receivable lines of payments and bank statement lines dated in the month, net
          (refunds paid to customers deducted), in company currency;
        - ``overdue``: the collector's customers' amount overdue at the month's end (aged balance);
        - ``cei``: the CEI of the collector's customers (see the model), their opening and closing
          receivables and credit sales of the month;
        - actions done in the month by the collector: ``activities_done`` (activities marked done on
          this company's records: calls, to-dos…), ``promises_recorded`` (promises created, not
          cancelled), ``plans_agreed`` (payment plans confirmed, by plan date) and
          ``disputes_closed`` (disputes they own, closed); ``actions_done`` is their sum. The
          collectors chosen narrow the actions to theirs; tags and countries do not (an activity
          done has no customer to test);
        - ``activities_late``: the collector's activities still to do whose deadline fell in the
          month and has passed (by month of deadline), on the company's records
          (``_get_activity_models``)."""
        self.ensure_one()
        for model in (
            "account.move.line",
            "account.move",
            "res.partner",
            "recouvrement.promise",
            "recouvrement.payment.plan",
            "recouvrement.dispute",
            "mail.message",
            "mail.activity",
        ):
            self.env[model].flush_model()
        date_from, date_to = self._get_period()
        values = {}

        def entry(month, collector):
            return values.setdefault(
                (month, collector),
                {
                    "month": month,
                    "collector_id": collector,
                    "collected": 0.0,
                    "overdue": 0.0,
                    "cei": 0.0,
                    "activities_done": 0,
                    "promises_recorded": 0,
                    "plans_agreed": 0,
                    "disputes_closed": 0,
                    "activities_late": 0,
                },
            )

        for month, collector, amount in self.env.execute_query(self._get_collected_query(date_from, date_to)):
            entry(month, collector)["collected"] = amount
        for month, collector, kind, count in self.env.execute_query(
            self._get_actions_query(date_from, date_to)
        ):
            entry(month, collector)[kind] = count
        sales = {
            (month, collector): amount
            for month, collector, amount in self.env.execute_query(
                self._get_collector_sales_query(date_from, date_to)
            )
        }
        months = self._get_months()
        previous_end = date_from - relativedelta(days=1)
        month_ends = [month + relativedelta(months=1, days=-1) for month in months]
        split = self._get_due_split([previous_end, *month_ends], "collector_id")
        empty = {"total": 0.0, "not_due": 0.0}
        for month, end in zip(months, month_ends, strict=True):
            active = {collector for (day, collector) in (*sales, *values) if day == month}
            known = {collector for (day, collector) in split if day in (previous_end, end)}
            for collector in (known | active) - {None}:
                ar = split.get((end, collector), empty)
                opening_ar = split.get((previous_end, collector), empty)["total"]
                month_sales = sales.get((month, collector), 0.0)
                collectable = opening_ar + month_sales - ar["not_due"]
                cei = (opening_ar + month_sales - ar["total"]) / collectable * 100 if collectable > 0 else 0.0
                overdue = ar["total"] - ar["not_due"]
                if overdue or cei or (month, collector) in values:
                    entry(month, collector).update(overdue=overdue, cei=cei)
            previous_end = end
        result = []
        for key in sorted(values, key=lambda k: (k[0], k[1] or 0)):
            row = values[key]
            row["actions_done"] = sum(
                row[kind]
                for kind in ("activities_done", "promises_recorded", "plans_agreed", "disputes_closed")
            )
            result.append(row)
        return result

    def _get_collector_sales_query(self, date_from, date_to):
        """(month, collector, credit sales) of the period: invoices less credit notes."""
        return self._get_receivable_by_collector_query(
            date_from, date_to, SQL("move.move_type IN ('out_invoice', 'out_refund')"), 1
        )

    def _get_collected_query(self, date_from, date_to):
        """(month, collector, cash collected) of the period."""
        return self._get_receivable_by_collector_query(
            date_from,
            date_to,
            SQL("(move.origin_payment_id IS NOT NULL OR move.statement_line_id IS NOT NULL)"),
            -1,
        )

    def _get_receivable_by_collector_query(self, date_from, date_to, move_condition, sign):
        """(month, collector, SIGN × sum) of the receivable lines of the report's customers dated in
        the period whose entry meets MOVE_CONDITION (over ``move``)."""
        return SQL(
            """
            SELECT date_trunc('month', aml.date)::date AS month,
                   (commercial.dunning_collector_id ->> aml.company_id::text)::int AS collector_id,
                   %(sign)s * SUM(aml.balance)
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN account_move move ON move.id = aml.move_id
              JOIN res_partner partner ON partner.id = aml.partner_id
              JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
             WHERE aml.company_id IN %(companies)s
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND %(move_condition)s
               AND aml.date BETWEEN %(date_from)s AND %(date_to)s
               AND %(customer)s
             GROUP BY 1, 2
            """,
            sign=sign,
            move_condition=move_condition,
            companies=tuple(self._get_companies().ids),
            customer=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
            date_from=date_from,
            date_to=date_to,
        )

    def _get_actions_query(self, date_from, date_to):
        """(month, user, kind of action, count) of the period; kinds are the collector line's
        fields. Can be inherited to count other actions."""
        return SQL(
            """
            SELECT action.month, action.user_id, action.kind, COUNT(*)
              FROM (
                   SELECT date_trunc('month', msg.date)::date AS month, users.id AS user_id,
                          'activities_done' AS kind
                     FROM mail_message msg
                     JOIN res_users users ON users.partner_id = msg.author_id
                    WHERE msg.mail_activity_type_id IS NOT NULL
                      AND msg.record_company_id IN %(companies)s
                      AND msg.date >= %(date_from)s AND msg.date < %(date_stop)s
                    UNION ALL
                   SELECT date_trunc('month', promise.create_date)::date, promise.user_id, 'promises_recorded'
                     FROM recouvrement_promise promise
                    WHERE promise.company_id IN %(companies)s
                      AND promise.state != 'cancelled'
                      AND promise.create_date >= %(date_from)s AND promise.create_date < %(date_stop)s
                    UNION ALL
                   SELECT date_trunc('month', plan.date_start)::date, plan.user_id, 'plans_agreed'
                     FROM recouvrement_payment_plan plan
                    WHERE plan.company_id IN %(companies)s
                      AND plan.state NOT IN ('draft', 'cancelled')
                      AND plan.date_start BETWEEN %(date_from)s AND %(date_to)s
                    UNION ALL
                   SELECT date_trunc('month', dispute.date_closed)::date, dispute.user_id, 'disputes_closed'
                     FROM recouvrement_dispute dispute
                    WHERE dispute.company_id IN %(companies)s
                      AND dispute.state IN ('resolved', 'rejected')
                      AND dispute.date_closed BETWEEN %(date_from)s AND %(date_to)s
                    UNION ALL
                   SELECT date_trunc('month', activity.date_deadline)::date, activity.user_id,
                          'activities_late'
                     FROM mail_activity activity
                    WHERE activity.active
                      AND activity.date_deadline BETWEEN %(date_from)s AND %(date_to)s
                      AND activity.date_deadline < %(today)s
                      AND (%(activity_records)s)
                   ) action
             WHERE action.user_id IS NOT NULL
               AND %(collectors)s
             GROUP BY 1, 2, 3
            """,
            companies=tuple(self._get_companies().ids),
            collectors=SQL("action.user_id IN %s", tuple(self.collector_user_ids.ids))
            if self.collector_user_ids
            else SQL("TRUE"),
            date_from=date_from,
            date_to=date_to,
            date_stop=date_to + relativedelta(days=1),
            today=fields.Date.context_today(self),
            activity_records=SQL(" OR ").join(
                SQL(
                    """(activity.res_model = %s AND EXISTS (
                           SELECT 1 FROM %s record
                            WHERE record.id = activity.res_id
                              AND (record.company_id IN %s OR (%s AND record.company_id IS NULL))))""",
                    model,
                    SQL.identifier(self.env[model]._table),
                    tuple(self._get_companies().ids),
                    shared,
                )
                for model, shared in self._get_activity_models().items()
            ),
        )

    @api.model
    def _get_activity_models(self):
        """{model: whether its records without a company count}: the models whose activities are
        collection actions (their table has a company_id column). Can be inherited (legal cases)."""
        return {
            "res.partner": True,
            "account.move": False,
            "recouvrement.dunning.communication": False,
            "recouvrement.dispute": False,
            "recouvrement.promise": False,
            "recouvrement.payment.plan": False,
        }

    def _get_xlsx_columns(self):
        """(key of ``_get_monthly_values``, header, kind) of the KPI table's columns; kind is money,
        days, percent or count. Can be inherited to add columns."""
        return [
            ("credit_sales", self.env._("Credit Sales"), "money"),
            ("ar", self.env._("Receivables"), "money"),
            ("current_ar", self.env._("Not Yet Due"), "money"),
            ("dso_simple", self.env._("DSO (Simple)"), "days"),
            ("dso_countback", self.env._("DSO (Countback)"), "days"),
            ("best_dso", self.env._("Best Possible DSO"), "days"),
            ("add", self.env._("Average Days Delinquent"), "days"),
            ("cei", self.env._("CEI (%)"), "percent"),
            ("overdue_share", self.env._("Overdue (%)"), "percent"),
            ("at_risk_rate", self.env._("At Risk (%)"), "percent"),
            ("doubtful", self.env._("Doubtful Receivables"), "money"),
            ("doubtful_share", self.env._("Doubtful (%)"), "percent"),
            ("promises_due", self.env._("Promises Due"), "count"),
            ("promise_kept_rate", self.env._("Promises Kept (%)"), "percent"),
            ("promise_kept_amount_rate", self.env._("Promised Amount Kept (%)"), "percent"),
            ("disputes_closed", self.env._("Disputes Closed"), "count"),
            ("dispute_days", self.env._("Dispute Resolution (Days)"), "days"),
            ("plans_ended", self.env._("Payment Plans Ended"), "count"),
            ("plans_honoured_rate", self.env._("Payment Plans Honoured (%)"), "percent"),
            ("penalties_invoiced", self.env._("Penalties Invoiced"), "money"),
            ("fees_invoiced", self.env._("Fees Invoiced"), "money"),
            ("penalties_collected", self.env._("Penalties Collected"), "money"),
            ("legal_costs", self.env._("Legal Costs"), "money"),
        ]

    def _get_xlsx(self):
        """The workbook of ``action_export_xlsx``: a row per month, real dates and numbers (money
        with 2 decimals, days and percentages with 1), frozen header and filters."""
        self.ensure_one()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        formats = {
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "days": workbook.add_format({"num_format": "0.0"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "count": workbook.add_format({"num_format": "0"}),
        }
        month_format = workbook.add_format({"num_format": "mm/yyyy"})
        columns = self._get_xlsx_columns()
        sheet = workbook.add_worksheet(self.company_id.name[:31])
        sheet.write(0, 0, self.env._("Collections KPIs"), bold)
        sheet.write(0, 1, ", ".join(self._get_companies().mapped("name")), bold)
        sheet.write(0, 2, self.company_id.currency_id.name, bold)
        sheet.write_row(2, 0, [self.env._("Month"), *(header for _key, header, _kind in columns)], bold)
        rows = self._get_monthly_values()
        for index, values in enumerate(rows, start=3):
            sheet.write_datetime(index, 0, fields.Datetime.to_datetime(values["month"]), month_format)
            for column, (key, _header, kind) in enumerate(columns, start=1):
                value = values.get(key, 0)
                sheet.write_number(index, column, round(value, 2 if kind == "money" else 1), formats[kind])
        sheet.freeze_panes(3, 1)
        sheet.autofilter(2, 0, 2 + len(rows), len(columns))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, len(columns), 16)
        workbook.close()
        return buffer.getvalue()

    @staticmethod
    def _rate(part, whole):
        """PART ÷ WHOLE in percent, 0 when WHOLE is 0."""
        return float(part) / float(whole) * 100 if whole else 0.0

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
                 WHERE aml.company_id IN %(companies)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND aml.date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(customer)s
                 GROUP BY 1
                """,
                companies=tuple(self._get_companies().ids),
                customer=self._get_customer_condition(SQL("aml.partner_id"), SQL("aml.company_id")),
                date_from=date_from,
                date_to=date_to,
            )
        )
        return dict(rows)
