from markupsafe import Markup

from odoo import api, models

ONLINE = "recouvrement_online_confirmation"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "recouvrement.credit.check.mixin"]
    _credit_document = "sale"
    _credit_resume_method = "action_confirm"
    _credit_fields = ("partner_id", "company_id", "state", "amount_total", "currency_rate", "currency_id")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        self.env["recouvrement.credit.position"]._mark_for_refresh(
            orders.filtered(lambda o: o.state == "sale").partner_id
        )
        return orders

    def write(self, vals):
        confirmed_before = self.filtered(lambda o: o.state == "sale")
        result = super().write(vals)
        touched = confirmed_before | self.filtered(lambda o: o.state == "sale")
        self.env["recouvrement.credit.position"]._mark_for_refresh(touched.partner_id)
        return result

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _credit_needs_check(self):
        return self.state in ("draft", "sent")

    def _credit_covered_otherwise(self):
        """Paid in full online: the payment covers what the order adds."""
        return (
            bool(self.transaction_ids)  # most orders have none: skip computing the paid amount
            and self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0
        )

    def _credit_extra_exposure(self):
        return self.amount_total / (self.currency_rate or 1.0)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_confirm(self):
        if self.env.context.get(ONLINE):
            held = self._hold_for_credit_review()
            return super(SaleOrder, self - held).action_confirm() if self - held else True
        return self._check_credit() or super().action_confirm()

    # ------------------------------------------------------------------
    # BUSINESS: orders signed or paid by the customer online
    # ------------------------------------------------------------------

    def _validate_order(self):
        """The customer signed on the portal: a blocked customer's order is held, never lost."""
        return super(SaleOrder, self.with_context(**{ONLINE: True}))._validate_order()

    def _hold_for_credit_review(self):
        """Keep the blocked orders signed but unconfirmed, ask a credit manager to review them and
        tell the salesperson. Return the held orders."""
        held = self.browse()
        for company in self.company_id:
            # Written for the company's staff, in its language: not the customer's, who signs online,
            # nor that of the payment job's user.
            orders = self.filtered(lambda o, c=company: o.company_id == c).with_context(
                lang=company._get_lang()
            )
            for order, reasons in orders._get_credit_blocked():
                held |= order
                # The customer (portal) or the payment job confirms: the to-do and note are the system's.
                order_sudo = order.sudo()
                order_sudo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=orders.env._("Order from a blocked customer to review"),
                    note=Markup("<p>%s</p><p>%s</p>")
                    % (
                        orders.env._("The customer confirmed this order online, but its credit blocks it:"),
                        "; ".join(reasons),
                    ),
                    user_id=company._get_credit_manager().id,
                )
                order_sudo.message_post(
                    body=orders.env._(
                        "Confirmed online by the customer, but held for credit review: %(reasons)s",
                        reasons="; ".join(reasons),
                    ),
                    partner_ids=order_sudo.user_id.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )
        return held
