from odoo import models

from .sale_order import ONLINE


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A partial online payment by a blocked customer holds the order instead of failing."""
        confirmed = super(
            PaymentTransaction, self.with_context(**{ONLINE: True})
        )._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
