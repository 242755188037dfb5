"""Sums a third party collects for us on a case (the credit insurer's indemnity, what the
collection agency collected), booked as a receivable on that third party against the customer's
open items of the case, so that the case's principal, recovered amount and balance follow."""

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class RecouvrementLegalCaseReceipt(models.AbstractModel):
    """Sums third parties collect on a legal case (inherited by recouvrement.legal.case)."""

    _name = "recouvrement.legal.case.receipt"
    _description = "Legal case: sums collected by third parties"

    currency_id = fields.Many2one("res.currency")  # the case's: its company's currency

    agency_report_ids = fields.One2many("recouvrement.legal.agency.report", "case_id", "Agency Reports")
    amount_agency_collected = fields.Monetary(
        "Collected by the Agency",
        compute="_compute_amount_agency_collected",
        store=True,
        help="What the agency reported as collected (booked or not yet).",
    )

    @api.depends("agency_report_ids.amount_collected")
    def _compute_amount_agency_collected(self):
        for case in self:
            case.amount_agency_collected = sum(case.agency_report_ids.mapped("amount_collected"))

    def _book_third_party_receipt(self, amount, account, third_party, label, date=None):
        """Post AMOUNT collected for us by THIRD_PARTY: ACCOUNT (on the third party) debited, the
        case's open items credited oldest due first and reconciled with it. Return the entry. Can
        be inherited (e.g. to split the VAT)."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        if float_compare(amount, 0.0, precision_rounding=rounding) <= 0:
            raise ValidationError(self.env._("The amount collected must be positive."))
        if float_compare(amount, self.amount_principal, precision_rounding=rounding) > 0:
            raise ValidationError(
                self.env._(
                    "Cannot book %(amount)s on case %(case)s: only %(due)s is still due on its invoices.",
                    amount=self._format_amount(amount),
                    case=self.name,
                    due=self._format_amount(self.amount_principal),
                )
            )
        lines, items, left = [], [], amount
        for line in self.line_ids.filtered(lambda line: line.amount_residual > 0).sorted(
            lambda line: (line.date_maturity or fields.Date.today(), line.id)
        ):
            part = self.currency_id.round(min(left, line.amount_residual))
            item = line._get_open_item()
            lines.append(
                Command.create(
                    {
                        "account_id": item.account_id.id,
                        "partner_id": item.partner_id.id,
                        "name": label,
                        "credit": part,
                    }
                )
            )
            items.append(item)
            left = self.currency_id.round(left - part)
            if not left:
                break
        lines.insert(
            0,
            Command.create(
                {
                    "account_id": account.id,
                    "partner_id": third_party.id if third_party else self.partner_id.id,
                    "name": label,
                    "debit": amount,
                }
            ),
        )
        move = self._post_legal_move(label, lines, date)
        credits = move.line_ids.filtered("credit")
        for item, credit in zip(items, credits, strict=True):
            (item | credit).reconcile()
        return move
