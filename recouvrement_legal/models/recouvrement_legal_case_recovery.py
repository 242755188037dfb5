"""Recovery after write-off (rentrées sur créances amorties): a debtor whose debt was written off
pays later (a liquidator's distribution, a late settlement). The sum received is income (PCG 7714,
771400 in the French chart), not a reduction of the loss booked in a closed year, and the VAT
regularised at write-off (art. 272 CGI) is due again on what is collected (BOI-TVA-DED-40-10-20):
each recovery credits back, pro rata, the VAT accounts the write-off debited.

    Dr customer receivable (reconciled with the payment)   amount received (incl. VAT)
        Cr 7714 recovery income                            its share excl. VAT
        Cr 4457 VAT collected                              its VAT share
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero


class RecouvrementLegalCase(models.Model):
    _inherit = "recouvrement.legal.case"

    writeoff_move_ids = fields.Many2many(
        "account.move",
        "recouvrement_legal_case_writeoff_move_rel",
        string="Write-off Entries",
        readonly=True,
    )
    recovery_move_ids = fields.Many2many(
        "account.move",
        "recouvrement_legal_case_recovery_move_rel",
        string="Recovery Entries",
        readonly=True,
    )
    amount_recovered_after_writeoff = fields.Monetary(
        "Recovered after Write-off",
        readonly=True,
        tracking=True,
        help="Received from the debtor after the write-off (incl. VAT), booked as income.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("amount_written_off", "amount_recovered_after_writeoff")
    def _compute_amounts(self):
        """A written-off sum is lost, not recovered; what comes back after the write-off is."""
        res = super()._compute_amounts()
        for case in self:
            case.amount_recovered = max(
                case.amount_recovered - case.amount_written_off + case.amount_recovered_after_writeoff, 0.0
            )
        return res

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_recovery_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recovery after Write-off"),
            "res_model": "recouvrement.legal.recovery",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _write_off(self, amount, date=None):
        move = super()._write_off(amount, date)
        self.writeoff_move_ids = [Command.link(move.id)]
        return move

    def _book_recovery(self, amount, date=None, payment_line=None, journal=None):
        """Book AMOUNT (incl. VAT) received after the write-off: from PAYMENT_LINE (an open credit
        of the customer on a receivable account, e.g. a payment already registered) or, without
        one, from a new customer payment in JOURNAL. Return the recovery entry."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        self._check_recovery(amount, payment_line)
        income_account = self.company_id._get_legal_account("legal_recovery_income_account_id")
        if not payment_line:
            payment_line = self._create_recovery_payment(amount, date, journal)
        entries = [(payment_line.account_id, amount, 0.0)]
        taxes = self._get_recovery_tax_split(amount)
        entries += [(account, 0.0, tax) for account, tax in taxes if tax]
        entries.append((income_account, 0.0, self.currency_id.round(amount - sum(tax for _a, tax in taxes))))
        move = self._post_entry(
            self.env._("Recovery after write-off – %(case)s", case=self.name), entries, date
        )
        receivable = move.line_ids.filtered(
            lambda aml: aml.account_id == payment_line.account_id and aml.debit
        )
        (receivable | payment_line).reconcile()
        self.write(
            {
                "amount_recovered_after_writeoff": self.amount_recovered_after_writeoff + amount,
                "recovery_move_ids": [Command.link(move.id)],
            }
        )
        self.message_post(
            body=self.env._(
                "%(amount)s recovered after the write-off, booked as income (VAT collected again: %(tax)s).",
                amount=self._format_amount(amount),
                tax=self._format_amount(sum(tax for _a, tax in taxes)),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return move

    def _check_recovery(self, amount, payment_line=None):
        """Refuse, before anything is posted, a recovery that is not positive, larger than what was
        written off and not yet recovered, or taken from a credit that is not the customer's."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        if float_is_zero(self.amount_written_off, precision_rounding=rounding):
            raise UserError(
                self.env._(
                    "Nothing was written off in case %(case)s: record the payment on its invoices.",
                    case=self.name,
                )
            )
        if float_compare(amount, 0.0, precision_rounding=rounding) <= 0:
            raise ValidationError(self.env._("The amount recovered must be positive."))
        left = self._get_recoverable_amount()
        if float_compare(amount, left, precision_rounding=rounding) > 0:
            raise ValidationError(
                self.env._(
                    "Cannot book %(amount)s as recovered after write-off: only %(left)s of case %(case)s "
                    "was written off and is not recovered yet.",
                    amount=self._format_amount(amount),
                    left=self._format_amount(left),
                    case=self.name,
                )
            )
        if payment_line:
            self._check_recovery_payment_line(amount, payment_line)

    def _check_recovery_payment_line(self, amount, payment_line):
        valid = (
            payment_line.company_id == self.company_id
            and payment_line.partner_id.commercial_partner_id == self.partner_id
            and payment_line.account_id.account_type == "asset_receivable"
            and payment_line.parent_state == "posted"
            and not payment_line.reconciled
            and payment_line.amount_residual < 0
        )
        if not valid:
            raise ValidationError(
                self.env._(
                    "%(item)s is not an open payment received from %(partner)s in %(company)s.",
                    item=payment_line.display_name,
                    partner=self.partner_id.display_name,
                    company=self.company_id.name,
                )
            )
        if (
            float_compare(amount, -payment_line.amount_residual, precision_rounding=self.currency_id.rounding)
            > 0
        ):
            raise ValidationError(
                self.env._(
                    "Cannot book %(amount)s from %(item)s: only %(open)s of it is not reconciled.",
                    amount=self._format_amount(amount),
                    item=payment_line.display_name,
                    open=self._format_amount(-payment_line.amount_residual),
                )
            )

    def _create_recovery_payment(self, amount, date, journal=None):
        """Hook: the customer payment of a recovery registered from the case; return its receivable
        line (credit) that the recovery entry reconciles."""
        journal = journal or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "bank")],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("Choose the bank journal the payment was received in."))
        partner = self.partner_id.with_company(self.company_id)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "amount": amount,
                "currency_id": self.currency_id.id,
                "date": date,
                "memo": self.env._("Recovery after write-off – %(case)s", case=self.name),
            }
        )
        payment.action_post()
        return payment.move_id.line_ids.filtered(
            lambda aml: aml.account_id == payment.destination_account_id and aml.credit
        )

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_recoverable_amount(self):
        """What was written off and has not come back yet (incl. VAT)."""
        self.ensure_one()
        return self.currency_id.round(self.amount_written_off - self.amount_recovered_after_writeoff)

    def _get_recovery_tax_split(self, amount):
        """[(VAT account, VAT to collect again)] for AMOUNT recovered: the VAT the write-off entries
        regularised, pro rata; the last recovery takes what is left, so the totals match exactly."""
        self.ensure_one()
        vat_accounts = self.env["account.account"]
        for invoice in self.line_ids.move_id:
            if invoice.line_ids.filtered(lambda aml: aml.display_type == "tax"):
                vat_accounts |= self._get_vat_account(invoice)
        regularised = {account: 0.0 for account in vat_accounts}
        for line in self.writeoff_move_ids.line_ids.filtered(lambda aml: aml.account_id in vat_accounts):
            regularised[line.account_id] += line.balance
        collected = {account: 0.0 for account in vat_accounts}
        for line in self.recovery_move_ids.line_ids.filtered(lambda aml: aml.account_id in vat_accounts):
            collected[line.account_id] -= line.balance
        last = not float_compare(
            amount, self._get_recoverable_amount(), precision_rounding=self.currency_id.rounding
        )
        split = []
        for account in vat_accounts:
            if last:
                tax = regularised[account] - collected[account]
            else:
                tax = amount * regularised[account] / self.amount_written_off
            split.append((account, self.currency_id.round(tax)))
        return split
