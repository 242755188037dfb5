"""What the customer portal shows of a customer in a company: the statement, its totals and the
records the customer can follow. Read in sudo by the portal controllers once they have checked who
asks: every method takes the commercial partner and the company and never reads beyond them."""

from odoo import api, fields, models
from odoo.exceptions import UserError

FILTERS = ("all", "overdue", "disputed", "in_plan")


class RecouvrementPortalStatement(models.AbstractModel):
    _name = "recouvrement.portal.statement"
    _description = "Customer portal statement"

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_customer_companies(self, partner):
        """The companies where PARTNER's commercial entity has receivable items, in one grouped
        query; a partner restricted to a company only ever sees that one."""
        commercial = partner.commercial_partner_id
        groups = (
            self.env["account.move.line"]
            .sudo()  # sudo: portal users cannot read journal items; PARTNER's only
            ._read_group(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                ],
                ["company_id"],
            )
        )
        # sudo: portal users cannot read other companies; only those where PARTNER has items
        companies = self.env["res.company"].sudo().browse([company.id for (company,) in groups])
        if commercial.company_id:
            companies = companies.filtered(lambda company: company == commercial.company_id)
        return companies.sorted("id")

    @api.model
    def _get_open_lines(self, partner, company):
        """PARTNER's open items in COMPANY, the same ones the statement of account lists."""
        # sudo: the caller checked PARTNER is who asks; portal users cannot read its accounting
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        # sudo: portal users cannot read journal items; the domain keeps PARTNER's in COMPANY
        return self.env["account.move.line"].sudo().search(commercial._get_statement_domain())

    @api.model
    def _get_statement(self, partner, company, today, filterby="all"):
        """The statement of PARTNER in COMPANY on TODAY: ``items`` (dicts, oldest first, with the
        running balance), ``aged`` (the aged balance), ``balance``, ``overdue``, ``next_due_date``,
        ``counts`` per filter and ``credit`` (None unless the company shows it)."""
        # sudo: the caller checked PARTNER is who asks; portal users cannot read its accounting
        commercial = partner.commercial_partner_id.sudo().with_company(company)
        rows = commercial._get_statement_lines(today)
        aged = commercial._get_aged_balance(today)
        disputed_moves = set(
            self.env["recouvrement.dispute"]
            .sudo()  # sudo: portal users have no access to disputes; PARTNER's only
            .search(
                [("partner_id", "=", commercial.id), ("company_id", "=", company.id), ("state", "=", "open")]
            )
            .move_id.ids
        )
        plan_lines = set(
            self.env["recouvrement.payment.plan"]
            .sudo()  # sudo: portal users have no access to plans; PARTNER's only
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", company.id),
                    ("state", "in", ("draft", "active")),
                ]
            )
            .move_line_ids.ids
        )
        items = [self._prepare_item(row, disputed_moves, plan_lines) for row in rows]
        counts = {key: sum(1 for item in items if self._match(item, key)) for key in FILTERS}
        not_due = [item["date_due"] for item in items if item["amount_due"] > 0 and item["date_due"] >= today]
        return {
            "items": [item for item in items if self._match(item, filterby)],
            "aged": aged,
            "balance": aged["total"],
            "overdue": company.currency_id.round(aged["total"] - aged["not_due"]),
            "next_due_date": min(not_due) if not_due else False,
            "counts": counts,
            "currency": company.currency_id,
            "credit": self._get_credit_status(commercial, company),
        }

    @api.model
    def _prepare_item(self, row, disputed_moves, plan_lines):
        """One statement row as the portal shows it. Can be inherited."""
        line = row["line"]
        move = line.move_id
        currency = line.currency_id
        return {
            "line": line,
            "move": move,
            "kind": self._get_item_kind(line),
            "date": line.date,
            "date_due": line.date_maturity or line.date,
            "days_late": row["days_late"],
            "currency": currency,
            "amount_original": line.amount_currency,
            "amount_due": line.amount_residual_currency,
            "balance": row["balance"],
            "disputed": move.id in disputed_moves,
            "in_plan": line.id in plan_lines,
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

    @api.model
    def _get_item_kind(self, line):
        move = line.move_id
        if move.move_type == "out_refund":
            return "credit_note"
        if move.move_type == "out_invoice":
            receivables = move.line_ids.filtered(lambda l: l.account_id == line.account_id)
            return "instalment" if len(receivables) > 1 else "invoice"
        if line.amount_residual < 0:
            return "payment"
        return "other"

    @api.model
    def _match(self, item, filterby):
        if filterby == "overdue":
            return item["days_late"] > 0
        if filterby == "disputed":
            return item["disputed"]
        if filterby == "in_plan":
            return item["in_plan"]
        return True

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
