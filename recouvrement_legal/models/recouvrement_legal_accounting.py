"""Doubtful debts (créances douteuses) of a legal case, with real journal entries (PCG, French
chart first; legal-fr-eu.md §5, portal-legal-kpi.md §2.4):

- reclassify: 411 → 416 including VAT, on a *receivable* 416 account so that the debt stays in the
  customer's ledger, statement, portal and position, and later payments reconcile with it;
- impairment excluding VAT: 6817 / 491 at a rate per case, adjusted, reversed by 491 / 7817;
- write-off: 654 (excl. VAT) + the VAT regularisation (4457) / 416, the impairment reversed, and
  the corrective-invoice wording of art. 272 CGI.
"""

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero


class RecouvrementLegalCaseAccounting(models.AbstractModel):
    """The doubtful-debt part of a legal case (inherited by recouvrement.legal.case)."""

    _name = "recouvrement.legal.case.accounting"
    _description = "Legal case: doubtful-debt entries"

    currency_id = fields.Many2one("res.currency")  # the case's: its company's currency
    doubtful = fields.Boolean("Doubtful Debt", readonly=True, tracking=True)
    impairment_rate = fields.Float("Impairment Rate (%)", tracking=True)
    amount_impaired = fields.Monetary("Impaired (excl. VAT)", readonly=True)
    amount_written_off = fields.Monetary("Written Off (incl. VAT)", readonly=True)
    writeoff_mention = fields.Text(
        "Corrective Invoice Wording",
        readonly=True,
        help="The mention of art. 272 CGI on the corrective invoice (duplicate) sent to the debtor.",
    )
    accounting_move_ids = fields.Many2many(
        "account.move",
        "recouvrement_legal_case_accounting_rel",
        string="Doubtful-Debt Entries",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _reclassify_doubtful(self, date=None):
        """411 → 416 including VAT: one entry per case, the 411 items reconciled with it."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        company = self.company_id
        doubtful_account = company._get_legal_account("legal_doubtful_account_id")
        lines = self.line_ids.filtered(
            lambda line: not line.doubtful_line_id and line.move_line_id.amount_residual > 0
        )
        if not lines:
            raise UserError(
                self.env._("Nothing left to reclassify as doubtful in case %(case)s.", case=self.name)
            )
        move_lines = []
        for line in lines:
            item = line.move_line_id
            label = self.env._("Doubtful: %(invoice)s", invoice=item.move_id.name)
            common = {"partner_id": item.partner_id.id, "name": label}
            move_lines += [
                Command.create({**common, "account_id": doubtful_account.id, "debit": item.amount_residual}),
                Command.create({**common, "account_id": item.account_id.id, "credit": item.amount_residual}),
            ]
        move = self._post_legal_move(self.env._("Doubtful debt – %(case)s", case=self.name), move_lines, date)
        for index, line in enumerate(lines):
            new_debit, new_credit = move.line_ids[2 * index], move.line_ids[2 * index + 1]
            (line.move_line_id | new_credit).reconcile()
            line.doubtful_line_id = new_debit
        self.doubtful = True
        return move

    def _set_impairment(self, rate, date=None):
        """Impair the debt excluding VAT at RATE % (6817 / 491), or adjust the impairment to it; a
        lower rate reverses the difference (491 / 7817)."""
        self.ensure_one()
        if not 0 <= rate <= 100:
            raise ValidationError(self.env._("An impairment rate is between 0 and 100 %."))
        base = sum(line.amount_residual * line._get_untaxed_share() for line in self.line_ids)
        target = self.currency_id.round(base * rate / 100.0)
        difference = self.currency_id.round(target - self.amount_impaired)
        move = self.env["account.move"]
        if not float_is_zero(difference, precision_rounding=self.currency_id.rounding):
            company = self.company_id
            impairment = company._get_legal_account("legal_impairment_account_id")
            if difference > 0:
                debit, credit = company._get_legal_account("legal_impairment_expense_account_id"), impairment
            else:
                debit, credit = impairment, company._get_legal_account("legal_impairment_reversal_account_id")
            move = self._post_entry(
                self.env._("Impairment of %(case)s at %(rate)s %%", case=self.name, rate=rate),
                [(debit, abs(difference), 0.0), (credit, 0.0, abs(difference))],
                date,
            )
        self.write({"impairment_rate": rate, "amount_impaired": target})
        return move

    def _write_off(self, amount, date=None):
        """Write off AMOUNT (incl. VAT) as irrecoverable: 654 excl. VAT + the VAT collected
        regularised (4457) / the open items, the impairment reversed, the art. 272 CGI wording."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        rounding = self.currency_id.rounding
        if float_compare(amount, 0.0, precision_rounding=rounding) <= 0:
            raise ValidationError(self.env._("The amount to write off must be positive."))
        if float_compare(amount, self.amount_principal, precision_rounding=rounding) > 0:
            raise ValidationError(
                self.env._(
                    "Cannot write off %(amount)s: only %(due)s is still due on case %(case)s.",
                    amount=self._format_amount(amount),
                    due=self._format_amount(self.amount_principal),
                    case=self.name,
                )
            )
        company = self.company_id
        entries, untaxed_total, tax_total, left = [], 0.0, 0.0, amount
        items = self.env["account.move.line"]
        for line in self.line_ids.filtered(lambda line: line.amount_residual > 0):
            part = min(left, line.amount_residual)
            left -= part
            item = line._get_open_item()
            untaxed = self.currency_id.round(part * line._get_untaxed_share())
            tax = self.currency_id.round(part - untaxed)
            fiscal_year_start = company.compute_fiscalyear_dates(date)["date_from"]
            loss_field = "legal_writeoff_account_id"
            if line.move_id.invoice_date and line.move_id.invoice_date < fiscal_year_start:
                loss_field = "legal_writeoff_prior_account_id"
            entries.append((company._get_legal_account(loss_field), untaxed, 0.0))
            if tax:
                entries.append((self._get_vat_account(line.move_id), tax, 0.0))
            entries.append((item.account_id, 0.0, part, item))
            items |= item
            untaxed_total += untaxed
            tax_total += tax
            if float_is_zero(left, precision_rounding=rounding):
                break
        move = self._post_entry(self.env._("Irrecoverable debt – %(case)s", case=self.name), entries, date)
        for item in items:
            (
                item
                | move.line_ids.filtered(lambda aml, i=item: aml.account_id == i.account_id and aml.credit)
            ).reconcile()
        reversal = self.env["account.move"]
        if self.amount_impaired:
            reversal = self._set_impairment(0.0, date)
        mention = self.env._(
            "Invoice remained unpaid for the sum of %(untaxed)s (net price) and for the sum of %(tax)s "
            "(corresponding VAT) which cannot be deducted (article 272 of the CGI).",
            untaxed=self._format_amount(untaxed_total),
            tax=self._format_amount(tax_total),
        )
        self.write(
            {
                "amount_written_off": self.amount_written_off + amount,
                "writeoff_mention": mention,
                "accounting_move_ids": [Command.link(move.id)]
                + ([Command.link(reversal.id)] if reversal else []),
            }
        )
        self.message_post(body=mention, subtype_xmlid="mail.mt_note")
        return move

    def _post_entry(self, label, entries, date=None):
        """Post a miscellaneous entry of ENTRIES: (account, debit, credit[, item whose partner it takes])."""
        lines = [
            Command.create(
                {
                    "account_id": account.id,
                    "partner_id": self.partner_id.id,
                    "name": label,
                    "debit": debit,
                    "credit": credit,
                }
            )
            for account, debit, credit, *_item in entries
        ]
        return self._post_legal_move(label, lines, date)

    def _post_legal_move(self, ref, lines, date=None):
        """Create and post a miscellaneous entry of LINES (``Command.create``) in the company's
        doubtful-debts journal, dated DATE (today), attached to the case. Return it."""
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date or fields.Date.context_today(self),
                "journal_id": self.company_id._get_legal_journal().id,
                "ref": ref,
                "line_ids": lines,
            }
        )
        move.action_post()
        self.accounting_move_ids = [Command.link(move.id)]
        return move

    def _get_vat_account(self, invoice):
        tax_lines = invoice.line_ids.filtered(lambda aml: aml.display_type == "tax")
        if not tax_lines:
            raise UserError(self.env._("No VAT line on %(invoice)s to regularise.", invoice=invoice.name))
        return tax_lines[0].account_id
