import io
from datetime import timedelta

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import create_index

AGED_BASES = [("due", "Due Date"), ("invoice", "Invoice Date")]


class RecouvrementAgedBalance(models.TransientModel):
    """The aged balance (balance âgée) at any date: the receivable items open on that date, using
    only the entries and matchings dated on or before it, so that its total is the receivable
    accounts' balance on that date. Aged by due date (default) or by invoice date, in the buckets
    each company sets (``res.company.aged_balance_bucket_days``).

    ``_get_open_items_query`` is the one SQL definition; ``get_aged_balance`` aggregates it per
    customer (or another grouping) and ``_fill_lines`` writes the items for the list, pivot and
    graph views and the XLSX export."""

    _name = "recouvrement.aged.balance"
    _inherit = ["recouvrement.xlsx.export.mixin"]
    _description = "Aged balance"

    date = fields.Date("At Date", required=True, default=fields.Date.context_today)
    basis = fields.Selection(AGED_BASES, "Aged by", required=True, default="due")
    company_ids = fields.Many2many(
        "res.company", string="Companies", required=True, default=lambda self: self.env.companies
    )
    line_ids = fields.One2many("recouvrement.aged.balance.line", "report_id", "Items")

    def init(self):
        res = super().init()
        # The aged balance at a past date reads the matchings dated after it (not indexed by Odoo).
        create_index(
            self.env.cr,
            "recouvrement_partial_reconcile_max_date_idx",
            "account_partial_reconcile",
            ["max_date"],
        )
        return res

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open(self):
        """Compute the items open on the date and show them by customer and bucket."""
        self.ensure_one()
        self._fill_lines()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.recouvrement_aged_balance_line_action"
        )
        action["domain"] = [("report_id", "=", self.id)]
        action["display_name"] = self.env._("Aged Balance on %(date)s", date=fields.Date.to_string(self.date))
        return action

    def action_print(self):
        """Print the aged balance by customer and bucket (PDF), a page per company."""
        self.ensure_one()
        return self.env.ref("recouvrement_credit.action_report_aged_balance").report_action(self)

    def action_export_xlsx(self):
        """Download the aged balance by customer as an XLSX workbook, one sheet per company."""
        return self._action_download_xlsx(
            self.env._("Aged balance %(date)s.xlsx", date=fields.Date.to_string(self.date))
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def get_aged_balance(self, date, basis="due", companies=None, groupby="partner_id"):
        """Aged balance on DATE per GROUPBY (a column of ``_get_open_items_query``: partner_id,
        company_id, collector_id, user_id, country_id, currency_id...), in company currency.

        Returns a list of dicts: the grouping value, ``buckets`` ({bucket sequence: amount}) and
        ``total``. One SQL aggregate; no item is loaded in Python."""
        companies = companies or self.env.companies
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT item.%(groupby)s AS key, item.bucket_sequence, SUM(item.residual) AS amount
                  FROM (%(items)s) item
                 GROUP BY item.%(groupby)s, item.bucket_sequence
                """,
                groupby=SQL.identifier(groupby),
                items=self._get_open_items_query(date, basis, companies),
            )
        )
        result = {}
        for row in rows:
            entry = result.setdefault(row["key"], {groupby: row["key"], "buckets": {}, "total": 0.0})
            entry["buckets"][row["bucket_sequence"]] = row["amount"]
            entry["total"] += row["amount"]
        return list(result.values())

    @api.model
    def get_due_split(self, dates, companies, groupby="company_id", condition=None):
        """For each of DATES, per GROUPBY (company_id, partner_id or collector_id): ``total``, the
        amount open on that date, and ``not_due``, its part not yet due (by due date): what
        ``get_aged_balance(date, "due", companies, groupby)`` gives as total and bucket 0, for many
        dates in one SQL aggregate (the collections KPIs' month ends); and ``balance``, the
        receivable accounts' balance on that date (equal to the total unless a receivable item was
        matched with an item of another kind of account).

        Returns {(date, key): {"balance", "total", "not_due"}}. An item's amount on a date is its
        balance plus its matchings dated on or before it (as in ``_get_open_items_query``): each
        balance and matching counts from the first of DATES on or after its own date, and in
        ``not_due`` up to the last of DATES on or before the item's due date; SQL sums them per key
        and pair of such indexes (a few hundred rows), Python per date. CONDITION, an SQL condition
        on the receivable line ``aml``, restricts the items (the KPIs' customer segment)."""
        if groupby not in ("company_id", "partner_id", "collector_id"):
            raise ValueError(groupby)
        self._check_companies(companies)
        for model in ("account.move.line", "account.partial.reconcile", "res.partner"):
            self.env[model].flush_model()
        dates = sorted(set(dates))
        items = SQL(
            "aml.parent_state = 'posted' AND aml.account_id IN %s AND aml.company_id IN %s"
            " AND aml.date <= %s AND %s",
            self._get_receivable_account_ids(),
            tuple(companies.ids),
            dates[-1],
            condition or SQL("TRUE"),
        )
        key = {
            "company_id": SQL("aml.company_id"),
            "partner_id": SQL("commercial.id"),
            "collector_id": SQL("(commercial.dunning_collector_id ->> aml.company_id::text)::int"),
        }[groupby]
        rows = self.env.execute_query(
            SQL(
                """
                WITH matching AS (
                    SELECT part.debit_move_id AS line_id, part.max_date AS date, -part.amount AS amount
                      FROM account_partial_reconcile part
                     WHERE part.max_date <= %(last)s AND part.company_id IN %(companies)s
                     UNION ALL
                    SELECT part.credit_move_id, part.max_date, part.amount
                      FROM account_partial_reconcile part
                     WHERE part.max_date <= %(last)s AND part.company_id IN %(companies)s
                )
                SELECT movement.key,
                       width_bucket(movement.date, %(after_dates)s::date[]) AS first,
                       width_bucket(movement.due, %(dates)s::date[]) AS due_until,
                       SUM(movement.balance), SUM(movement.amount)
                  FROM (
                       SELECT aml.date, COALESCE(aml.date_maturity, aml.date) AS due, %(key)s AS key,
                              aml.balance AS amount, aml.balance
                         FROM account_move_line aml
                         LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                         LEFT JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
                        WHERE %(items)s
                        UNION ALL
                       SELECT matching.date, COALESCE(aml.date_maturity, aml.date), %(key)s,
                              matching.amount, 0
                         FROM matching
                         JOIN account_move_line aml ON aml.id = matching.line_id
                         LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                         LEFT JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
                        WHERE %(items)s
                       ) AS movement
                 GROUP BY 1, 2, 3
                """,
                key=key,
                items=items,
                companies=tuple(companies.ids),
                last=dates[-1],
                dates=dates,
                after_dates=[on_date + timedelta(days=1) for on_date in dates],
            )
        )
        result = {}
        for row_key, first, due_until, balance, amount in rows:
            # first: index of the first date on or after the movement; due_until: number of dates on
            # or before the item's due date, i.e. the dates on which it is not due are those before it.
            for index in range(first, len(dates)):
                entry = result.setdefault(
                    (dates[index], row_key), {"balance": 0.0, "total": 0.0, "not_due": 0.0}
                )
                entry["balance"] += balance
                entry["total"] += amount
                if index < due_until:
                    entry["not_due"] += amount
        return result

    def _fill_lines(self):
        """Write the items open on the report's date as its lines (one INSERT … SELECT)."""
        self.ensure_one()
        self.line_ids.unlink()
        lines = self.env["recouvrement.aged.balance.line"]
        columns = lines._get_item_columns()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO recouvrement_aged_balance_line
                       (report_id, create_uid, write_uid, create_date, write_date, %(columns)s)
                SELECT %(report)s, %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC',
                       %(item_columns)s
                  FROM (%(items)s) item
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                item_columns=SQL(", ").join(SQL.identifier("item", name) for name in columns),
                report=self.id,
                uid=self.env.uid,
                items=self._get_open_items_query(self.date, self.basis, self.company_ids),
            )
        )
        self.invalidate_recordset(["line_ids"])

    @api.model
    def _get_bucket_rows(self, companies):
        """(company id, sequence, first day, last day, label) of each company's buckets: sequence 0
        is "not due" (days ≤ 0); the last bucket has no last day. Can be inherited."""
        rows = []
        for company in companies:
            rows.append((company.id, 0, None, 0, self.env._("Not due")))
            first = 1
            limits = company._get_aged_balance_limits()
            for sequence, last in enumerate(limits, start=1):
                rows.append(
                    (
                        company.id,
                        sequence,
                        first,
                        last,
                        self.env._("%(first)s–%(last)s days", first=first, last=last),
                    )
                )
                first = last + 1
            rows.append(
                (company.id, len(limits) + 1, first, None, self.env._("> %(last)s days", last=first - 1))
            )
        return rows

    @api.model
    def _get_bucket_sets(self, companies):
        """(company id, first days, sequences, labels) per company, from ``_get_bucket_rows``: the
        first days of the buckets after "not due", in increasing order, for SQL's width_bucket(),
        which gives 0 for "not due" (days ≤ 0) and i for the bucket starting at the i-th first day;
        the sequences and labels of the buckets in that order."""
        rows = sorted(self._get_bucket_rows(companies), key=lambda row: (row[0], row[2] or 0))
        return [
            (
                company.id,
                [
                    first
                    for cid, _seq, first, _last, _label in rows
                    if cid == company.id and first is not None
                ],
                [seq for cid, seq, _first, _last, _label in rows if cid == company.id],
                [label for cid, _seq, _first, _last, label in rows if cid == company.id],
            )
            for company in companies
        ]

    @api.model
    def _get_open_items_query(self, date, basis, companies):
        """SQL of the receivable items open on DATE in COMPANIES, one row each: residual on that date
        in company and document currency, days (late by due date, or since the invoice date), bucket,
        customer (commercial partner), collector, salesperson, country, current dunning level, risk
        grade and credit status. An item's residual on DATE is its balance less the matchings
        (account.partial.reconcile) whose later line is dated on or before DATE: computed as its
        residual today plus the matchings dated after DATE, so that only the items open today and
        those matched since DATE are read (through the index of open items), not the whole history."""
        self._check_companies(companies)
        for model in (
            "account.move.line",
            "account.partial.reconcile",
            "account.move",
            "res.partner",
            "recouvrement.credit.position",
        ):
            self.env[model].flush_model()
        start = (
            SQL("COALESCE(aml.date_maturity, aml.date)")
            if basis == "due"
            else SQL("COALESCE(aml.invoice_date, aml.date)")
        )
        bucket_sets = SQL(", ").join(
            SQL("(%s, %s::int[], %s::int[], %s::varchar[])", *bucket_set)
            for bucket_set in self._get_bucket_sets(companies)
        )
        # An item's bucket is width_bucket() over its company's first days (one row per company
        # joined, so that the planner's estimates of the items stay right). Two disjoint sets of
        # items: those open today, through account.move.line's partial index of open items
        # (account_move_line__unreconciled_index: its condition written as it is, the receivable
        # accounts given as ids, so that the planner uses it), and those matched in full today by
        # matchings dated after DATE.
        receivables = self._get_receivable_account_ids()
        return SQL(
            """
            WITH matched_after AS (
                SELECT part.debit_move_id AS line_id, part.amount,
                       part.debit_amount_currency AS amount_currency
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(date)s AND part.company_id IN %(companies)s
                 UNION ALL
                SELECT part.credit_move_id, -part.amount, -part.credit_amount_currency
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(date)s AND part.company_id IN %(companies)s
            ), matched_after_per_line AS (
                SELECT line_id, SUM(amount) AS amount, SUM(amount_currency) AS amount_currency
                  FROM matched_after
                 GROUP BY line_id
            ), item AS (
                SELECT aml.id, aml.move_id, aml.company_id, aml.currency_id, aml.date, aml.date_maturity,
                       aml.invoice_date, aml.partner_id, aml.dunning_level_id, aml.amount_residual,
                       aml.amount_residual_currency
                  FROM account_move_line aml
                 WHERE (aml.reconciled IS NULL OR aml.reconciled = false OR aml.reconciled IS NOT true)
                   AND aml.parent_state = 'posted'
                   AND aml.account_id IN %(receivables)s
                   AND aml.company_id IN %(companies)s
                   AND aml.date <= %(date)s
                 UNION ALL
                SELECT aml.id, aml.move_id, aml.company_id, aml.currency_id, aml.date, aml.date_maturity,
                       aml.invoice_date, aml.partner_id, aml.dunning_level_id, aml.amount_residual,
                       aml.amount_residual_currency
                  FROM matched_after_per_line matched
                  JOIN account_move_line aml ON aml.id = matched.line_id
                 WHERE aml.reconciled IS TRUE
                   AND aml.parent_state = 'posted'
                   AND aml.account_id IN %(receivables)s
                   AND aml.company_id IN %(companies)s
                   AND aml.date <= %(date)s
            ), open_item AS (
                SELECT aml.id AS move_line_id, aml.move_id, aml.company_id, aml.currency_id, aml.date,
                       aml.invoice_date, aml.date_maturity, move.invoice_user_id AS user_id,
                       aml.dunning_level_id, commercial.id AS partner_id, commercial.country_id,
                       (commercial.dunning_collector_id ->> aml.company_id::text)::int AS collector_id,
                       aml.amount_residual + COALESCE(matched.amount, 0) AS residual,
                       aml.amount_residual_currency + COALESCE(matched.amount_currency, 0)
                           AS residual_currency,
                       %(date)s::date - %(start)s AS days
                  FROM item aml
                  LEFT JOIN account_move move ON move.id = aml.move_id
                  LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                  LEFT JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
                  LEFT JOIN matched_after_per_line matched ON matched.line_id = aml.id
                 WHERE aml.amount_residual + COALESCE(matched.amount, 0) <> 0
                    OR aml.amount_residual_currency + COALESCE(matched.amount_currency, 0) <> 0
            )
            SELECT open_item.*,
                   bucket_set.sequences[width_bucket(open_item.days, bucket_set.first_days) + 1]
                       AS bucket_sequence,
                   bucket_set.labels[width_bucket(open_item.days, bucket_set.first_days) + 1] AS bucket,
                   level.level AS dunning_level, position.risk_grade, position.status AS credit_status
              FROM open_item
              JOIN (VALUES %(bucket_sets)s) AS bucket_set(company_id, first_days, sequences, labels)
                ON bucket_set.company_id = open_item.company_id
              LEFT JOIN recouvrement_dunning_level level ON level.id = open_item.dunning_level_id
              LEFT JOIN recouvrement_credit_position position
                ON position.partner_id = open_item.partner_id AND position.company_id = open_item.company_id
            """,
            date=date,
            companies=tuple(companies.ids),
            receivables=receivables,
            start=start,
            bucket_sets=bucket_sets,
        )

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    @api.model
    def _get_receivable_account_ids(self):
        """The receivable accounts' ids, as a tuple for SQL (never empty)."""
        rows = self.env.execute_query(
            SQL("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
        )
        return tuple(account_id for (account_id,) in rows) or (None,)

    @api.model
    def _check_companies(self, companies):
        """The SQL reads every company it is given: only the user's allowed ones may be."""
        if not self.env.su and companies - self.env.user.company_ids:
            raise AccessError(self.env._("You may only see the aged balance of your own companies."))

    def _get_print_pages(self):
        """One dict per company for the PDF: company, bucket labels, rows (customer, amounts per
        bucket, total) sorted by customer name, and the bucket totals."""
        self.ensure_one()
        buckets = self._get_bucket_rows(self.company_ids)
        pages = []
        for company in self.company_ids.sorted("name"):
            company_buckets = [
                (seq, label) for cid, seq, _first, _last, label in buckets if cid == company.id
            ]
            rows = self.get_aged_balance(self.date, self.basis, company)
            partners = self.env["res.partner"].browse(row["partner_id"] for row in rows if row["partner_id"])
            names = {partner.id: partner.display_name for partner in partners}
            lines = sorted(
                (
                    {
                        "name": names.get(row["partner_id"], self.env._("No customer")),
                        "amounts": [row["buckets"].get(seq, 0.0) for seq, _label in company_buckets],
                        "total": row["total"],
                    }
                    for row in rows
                ),
                key=lambda line: line["name"],
            )
            pages.append(
                {
                    "company": company,
                    "labels": [label for _seq, label in company_buckets],
                    "lines": lines,
                    "totals": [
                        sum(line["amounts"][i] for line in lines) for i in range(len(company_buckets))
                    ],
                    "total": sum(line["total"] for line in lines),
                }
            )
        return pages

    def _get_xlsx(self):
        """The workbook of ``action_export_xlsx``: a sheet per company, a row per customer, a column
        per bucket, real numbers and dates, frozen header, filters and a total row."""
        self.ensure_one()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy", "bold": True})
        buckets = self._get_bucket_rows(self.company_ids)
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        for company in self.company_ids.sorted("name"):
            company_buckets = [
                (sequence, label) for cid, sequence, _first, _last, label in buckets if cid == company.id
            ]
            sheet = workbook.add_worksheet(company.name[:31])
            sheet.write(0, 0, self.env._("Aged balance on"), bold)
            sheet.write_datetime(0, 1, fields.Datetime.to_datetime(self.date), date_format)
            sheet.write(0, 2, company.currency_id.name, bold)
            header = [
                self.env._("Customer"),
                *(label for _sequence, label in company_buckets),
                self.env._("Total"),
            ]
            sheet.write_row(2, 0, header, bold)
            rows = self.get_aged_balance(self.date, self.basis, company)
            partners = self.env["res.partner"].browse(row["partner_id"] for row in rows if row["partner_id"])
            names = {partner.id: partner.display_name for partner in partners}
            rows.sort(key=lambda r: names.get(r["partner_id"], ""))
            round_ = company.currency_id.round
            totals = [0.0] * (len(company_buckets) + 1)
            for index, row in enumerate(rows, start=3):
                amounts = [round_(row["buckets"].get(sequence, 0.0)) for sequence, _label in company_buckets]
                amounts.append(round_(row["total"]))
                sheet.write(index, 0, names.get(row["partner_id"], self.env._("No customer")))
                sheet.write_row(index, 1, amounts, money)
                totals = [total + amount for total, amount in zip(totals, amounts, strict=True)]
            last = 3 + len(rows)
            sheet.write(last, 0, self.env._("Total"), bold)
            for column, total in enumerate(totals, start=1):
                cells = f"{xl_rowcol_to_cell(3, column)}:{xl_rowcol_to_cell(max(last - 1, 3), column)}"
                sheet.write_formula(last, column, f"=SUM({cells})", money_bold, round_(total))
            sheet.freeze_panes(3, 1)
            sheet.autofilter(2, 0, max(last - 1, 2), len(company_buckets) + 1)
            sheet.set_column(0, 0, 40)
            sheet.set_column(1, len(company_buckets) + 1, 16)
        workbook.close()
        return buffer.getvalue()
