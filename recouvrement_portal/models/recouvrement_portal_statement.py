"""What the customer portal shows of a customer in a company: the statement, its totals and the
records the customer can follow. Read in sudo by the portal controllers once they have checked who
asks: every method takes the commercial partner and the company and never reads beyond them."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

FILTERS = ("all", "overdue", "disputed", "in_plan")


class RecouvrementPortalStatement(models.AbstractModel):
    _name = "recouvrement.portal.statement"
    _description = "Customer portal statement"

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_customer_companies(self, partner):
        """The companies where PARTNER's commercial entity has receivable items: one query, an
        EXISTS per company (each stops at the first item, whatever the size of the ledger, as
        every page asks); a partner restricted to a company only ever sees that one."""
        commercial = partner.commercial_partner_id
        self.env["account.move.line"].flush_model(["company_id", "partner_id", "account_id", "parent_state"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.account"].flush_model(["account_type"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT company.id FROM res_company company
                 WHERE EXISTS (
                       SELECT 1 FROM account_move_line aml
                         JOIN account_account account ON account.id = aml.account_id
                         JOIN res_partner partner ON partner.id = aml.partner_id
                        WHERE aml.company_id = company.id AND partner.commercial_partner_id = %s
                          AND aml.parent_state = 'posted' AND account.account_type = 'asset_receivable'
                 )
                 ORDER BY company.id
                """,
                commercial.id,
            )
        )
        # sudo: portal users cannot read other companies; only those where PARTNER has items
        companies = self.env["res.company"].sudo().browse([company_id for (company_id,) in rows])
        if commercial.company_id:
            companies = companies.filtered(lambda company: company == commercial.company_id)
        return companies

    @api.model
    def _get_open_lines(self, partner, company):
        """PARTNER's open items in COMPANY, the same ones the statement of account lists."""
        # sudo: the caller checked PARTNER is who asks; portal users cannot read its accounting
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        # sudo: portal users cannot read journal items; the domain keeps PARTNER's in COMPANY
        return self.env["account.move.line"].sudo().search(commercial._get_statement_domain())

    @api.model
    def _get_statement(self, partner, company, today, filterby="all", offset=0, limit=None):
        """The statement of PARTNER in COMPANY on TODAY: ``items`` (dicts, oldest first, with the
        running balance; those of FILTERBY, LIMIT of them from OFFSET when given), ``total`` (how
        many FILTERBY has), ``aged`` (the aged balance), ``balance``, ``overdue``,
        ``next_due_date``, ``counts`` per filter and ``credit`` (None unless the company shows it).

        Whatever the page, the totals, buckets, counts and running balances are those of every open
        item: SQL aggregates and a window over them; only the items of the page are read."""
        # sudo: the caller checked PARTNER is who asks; portal users cannot read its accounting
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        aged = commercial._get_aged_balance(today)
        filterby = filterby if filterby in FILTERS else "all"
        summary, rows = self._get_statement_data(commercial, company, today, filterby, offset, limit)
        # sudo: the rows are PARTNER's open items in COMPANY, read above
        lines = self.env["account.move.line"].sudo().browse([row["id"] for row in rows])
        items = [self._prepare_item({**row, "line": line}) for row, line in zip(rows, lines, strict=True)]
        return {
            "items": items,
            "total": summary[filterby],
            "aged": aged,
            "balance": aged["total"],
            "overdue": company.currency_id.round(aged["total"] - aged["not_due"]),
            "next_due_date": fields.Date.to_date(summary["next_due_date"]) or False,
            "counts": {key: summary[key] for key in FILTERS},
            "currency": company.currency_id,
            "credit": self._get_credit_status(commercial, company),
        }

    @api.model
    def _get_items_query(self, commercial, company, today):
        """SQL of COMMERCIAL's open items in COMPANY on TODAY, one row each (the statement's
        order, running balance, days late, in dispute, in a payment plan). Can be inherited."""
        for model in ("account.move.line", "account.account", "res.partner", "recouvrement.dispute"):
            self.env[model].flush_model()
        plans = self.env["recouvrement.payment.plan"]
        plans.flush_model()
        relation, plan_column, line_column = plans._items_relation
        order = SQL("aml.date, aml.date_maturity, aml.move_name, aml.id")
        return SQL(
            """
            SELECT aml.id,
                   aml.move_id,
                   aml.account_id,
                   aml.amount_residual,
                   COALESCE(aml.date_maturity, aml.date) AS date_due,
                   ROW_NUMBER() OVER (ORDER BY %(order)s) AS sequence,
                   SUM(aml.amount_residual) OVER (ORDER BY %(order)s) AS balance,
                   CASE WHEN aml.amount_residual > 0
                        THEN GREATEST(%(today)s::date - COALESCE(aml.date_maturity, aml.date), 0)
                        ELSE 0 END AS days_late,
                   EXISTS (
                       SELECT 1 FROM recouvrement_dispute dispute
                        WHERE dispute.move_id = aml.move_id AND dispute.partner_id = %(partner)s
                          AND dispute.company_id = %(company)s AND dispute.state = 'open'
                   ) AS disputed,
                   EXISTS (
                       SELECT 1 FROM %(relation)s rel
                         JOIN recouvrement_payment_plan plan ON plan.id = rel.%(plan_column)s
                        WHERE rel.%(line_column)s = aml.id AND plan.partner_id = %(partner)s
                          AND plan.company_id = %(company)s AND plan.state IN ('draft', 'active')
                   ) AS in_plan
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_partner partner ON partner.id = aml.partner_id
             WHERE partner.commercial_partner_id = %(partner)s
               AND aml.company_id = %(company)s
               AND %(open)s
            """,
            order=order,
            today=today,
            partner=commercial.id,
            company=company.id,
            relation=SQL.identifier(relation),
            plan_column=SQL.identifier(plan_column),
            line_column=SQL.identifier(line_column),
            open=self.env["account.move.line"]._get_open_receivable_sql(),
        )

    @api.model
    def _get_filter_condition(self, filterby):
        """SQL condition of FILTERBY on a row of ``_get_items_query`` (alias item)."""
        return {
            "all": SQL("TRUE"),
            "overdue": SQL("item.days_late > 0"),
            "disputed": SQL("item.disputed"),
            "in_plan": SQL("item.in_plan"),
        }[filterby]

    @api.model
    def _get_statement_data(self, commercial, company, today, filterby, offset=0, limit=None):
        """In one query over COMMERCIAL's open items in COMPANY: the summary (the count of each
        filter, ``next_due_date``) and the rows FILTERBY keeps in the statement's order, LIMIT of
        them from OFFSET (all without LIMIT), each with its move's type and number of receivable
        lines (for ``_get_item_kind``)."""
        counts = [
            SQL("%s, COUNT(*) FILTER (WHERE %s)", key, self._get_filter_condition(key)) for key in FILTERS
        ]
        query = SQL(
            """
            WITH item AS MATERIALIZED (%(items)s)
            SELECT (SELECT json_build_object(
                               %(counts)s,
                               'next_due_date',
                               MIN(item.date_due)
                                   FILTER (WHERE item.amount_residual > 0 AND item.date_due >= %(today)s)
                           ) FROM item) AS summary,
                   (SELECT COALESCE(json_agg(page ORDER BY page.sequence), '[]'::json) FROM (
                        SELECT item.*, move.move_type,
                               (SELECT COUNT(*) FROM account_move_line sibling
                                 WHERE sibling.move_id = item.move_id AND sibling.account_id = item.account_id
                               ) AS receivable_count
                          FROM item
                          JOIN account_move move ON move.id = item.move_id
                         WHERE %(filter)s
                         ORDER BY item.sequence
                        OFFSET %(offset)s %(limit)s
                   ) page) AS rows
            """,
            items=self._get_items_query(commercial, company, today),
            counts=SQL(", ").join(counts),
            today=today,
            filter=self._get_filter_condition(filterby),
            offset=offset or 0,
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )
        row = self.env.execute_query_dict(query)[0]
        return row["summary"], row["rows"]

    @api.model
    def _prepare_item(self, row):
        """One statement row as the portal shows it, from a row of ``_get_items_query`` and its
        ``line``. Can be inherited."""
        line = row["line"]
        move = line.move_id
        return {
            "line": line,
            "move": move,
            "kind": self._get_item_kind(row),
            "date": line.date,
            "date_due": line.date_maturity or line.date,
            "days_late": row["days_late"],
            "currency": line.currency_id,
            "amount_original": line.amount_currency,
            "amount_due": line.amount_residual_currency,
            "balance": line.company_id.currency_id.round(row["balance"]),
            "disputed": row["disputed"],
            "in_plan": row["in_plan"],
            "payable": line.amount_residual > 0 and move.move_type == "out_invoice",
            # False when the customer may not dispute it, promise or ask a plan on it (a bridge,
            # e.g. legal collection, locks it; see _check_portal_action)
            "actionable": True,
        }

    @api.model
    def _check_portal_action(self, partner, company, moves, action):
        """Hook: raise a UserError when PARTNER may not take ACTION ('dispute', 'promise' or
        'plan') on its invoices MOVES in COMPANY from the portal. Every portal action calls it
        before creating anything; the base allows them all. Can be inherited."""
        return True

    def _get_item_kind(self, row):
        """invoice, instalment (one of several receivable lines of an invoice), credit_note,
        payment (a credit that is not a credit note) or other, from a row of
        ``_get_statement_data``."""
        if row["move_type"] == "out_refund":
            return "credit_note"
        if row["move_type"] == "out_invoice":
            return "instalment" if row["receivable_count"] > 1 else "invoice"
        if row["amount_residual"] < 0:
            return "payment"
        return "other"

    @api.model
    def _get_credit_status(self, commercial, company):
        """{blocked, reasons, available, limit} when COMPANY shows the credit status, else None."""
        if not company.portal_show_credit_status:
            return None
        position = commercial.with_company(company).credit_position_id
        return {
            "status": position.status or "ok",
            "blocked": position.status == "blocked",
            "reasons": position.reasons if position.status in ("blocked", "warning") else "",
            "limit": position.credit_limit,
            "available": position.available_credit,
        }

    @api.model
    def _get_payable_moves(self, partner, company, move_ids=None, overdue_only=False, today=None):
        """PARTNER's invoices in COMPANY that can be paid now (open, not in dispute), restricted to
        MOVE_IDS when given, or to those overdue on TODAY."""
        domain = [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        if move_ids is not None:
            domain.append(("id", "in", list(move_ids)))
        if overdue_only:
            domain.append(("invoice_date_due", "<", today or fields.Date.context_today(self)))
        # sudo: portal users cannot read invoices; the domain keeps PARTNER's in COMPANY
        return self.env["account.move"].sudo().search(domain, order="invoice_date_due, id")

    @api.model
    def _get_credit_lines(self, partner, company, currency):
        """PARTNER's credits in COMPANY and CURRENCY not applied yet: credit notes and payments."""
        # sudo: the caller checked PARTNER is who asks; portal users cannot read its accounting
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        return (
            self.env["account.move.line"]
            .sudo()  # sudo: portal users cannot read journal items; PARTNER's only
            .search(
                [
                    *commercial._get_statement_domain(),
                    ("amount_residual", "<", 0),
                    ("currency_id", "=", currency.id),
                ],
                order="date, id",
            )
        )

    @api.model
    def _apply_credits(self, partner, company, moves):
        """Settle MOVES (one currency) with PARTNER's unapplied credits in that currency, as a
        collector would match them; returns the amount applied."""
        currency = moves.currency_id
        if len(currency) != 1:
            raise UserError(self.env._("Apply credits to invoices of one currency at a time."))
        credits = self._get_credit_lines(partner, company, currency)
        if not credits:
            raise UserError(self.env._("You have no credit to apply."))
        invoice_lines = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        before = sum(moves.mapped("amount_residual"))
        for account in invoice_lines.account_id:
            lines = (invoice_lines | credits).filtered(lambda line, a=account: line.account_id == a)
            if lines.filtered(lambda line: line.amount_residual < 0) and lines.filtered(
                lambda line: line.amount_residual > 0
            ):
                lines.reconcile()
        return currency.round(before - sum(moves.mapped("amount_residual")))

    @api.model
    def _get_letters(self, partner, company):
        """The reminders and letters sent to PARTNER in COMPANY (by email or post), newest first."""
        return (
            self.env["recouvrement.dunning.communication"]
            .sudo()  # sudo: portal users have no access to reminders; PARTNER's only
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("dispatch_ids.channel", "in", ("email", "letter", "registered_letter")),
                ]
            )
        )

    @api.model
    def _get_records(self, partner, company):
        """The disputes, promises and plans of PARTNER in COMPANY (sudo), by model."""
        domain = [("partner_id", "=", partner.commercial_partner_id.id), ("company_id", "=", company.id)]
        return {
            # sudo: portal users have no access to these models; the domain keeps PARTNER's in COMPANY
            "disputes": self.env["recouvrement.dispute"].sudo().search(domain),
            "promises": self.env["recouvrement.promise"].sudo().search(domain),  # sudo: as for disputes
            "plans": self.env["recouvrement.payment.plan"]
            .sudo()  # sudo: no portal access to plans; PARTNER's only
            .search([*domain, "|", ("source", "=", "portal"), ("state", "!=", "draft")]),
        }
