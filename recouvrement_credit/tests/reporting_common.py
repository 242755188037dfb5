"""Fixtures for the reporting tests: invoices and payments at the dates a ledger needs."""

from odoo import Command

from .credit_common import CreditCommon


class ReportingCommon(CreditCommon):
    @classmethod
    def _invoice_on(cls, amount, invoice_date, due, partner=None, currency=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "currency_id": (currency or cls.currency).id,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product_a.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay_on(cls, invoice, amount, day):
        wizard = cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        return wizard.create({"amount": amount, "payment_date": day})._create_payments()
