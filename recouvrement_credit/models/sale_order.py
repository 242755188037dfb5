from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_amount

ONLINE = "recouvrement_online_confirmation"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "recouvrement.credit.check.mixin"]
    _credit_document = "sale"
    _credit_resume_method = "action_confirm"
    _credit_fields = ("partner_id", "company_id", "state", "amount_total", "currency_rate", "currency_id")

    credit_exposure_info = fields.Text(
        compute="_compute_credit_exposure_info",
        compute_sudo=True,
        help="The customer's exposure without and with this quotation, against the credit limit.",
    )
    credit_over_limit = fields.Boolean(
        compute="_compute_credit_exposure_info",
        compute_sudo=True,
        help="With this quotation, the exposure exceeds the credit limit.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("company_id", "partner_id", "amount_total", "state")
    @api.depends_context("lang")
    def _compute_credit_exposure_info(self):
        positions = self.env["recouvrement.credit.position"].search(
            [
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_key = {(p.partner_id, p.company_id): p for p in positions}
        for order in self:
            position = by_key.get((order.partner_id.commercial_partner_id, order.company_id))
            if not position or order.state not in ("draft", "sent"):
                order.credit_exposure_info = False
                order.credit_over_limit = False
                continue
            currency = position.currency_id
            with_order = position.exposure + order._credit_extra_exposure()
            limit = position.credit_limit
            order.credit_over_limit = (
                bool(limit)
                and currency.compare_amounts(with_order, limit) > 0
                and order._recouvrement_credit_applies()
            )
            without = format_amount(self.env, position.exposure, currency)
            with_document = format_amount(self.env, with_order, currency)
            if limit:
                order.credit_exposure_info = self.env._(
                    "Exposure %(without)s without this document, %(with_document)s with it, for a credit "
                    "limit of %(limit)s.",
                    without=without,
                    with_document=with_document,
                    limit=format_amount(self.env, limit, currency),
                )
            else:
                order.credit_exposure_info = self.env._(
                    "Exposure %(without)s without this document, %(with_document)s with it "
                    "(no credit limit).",
                    without=without,
                    with_document=with_document,
                )

    def _compute_partner_credit_warning(self):
        """Stock Odoo's credit-limit warning gives way to ours where our credit control applies: one
        message, one set of figures."""
        result = super()._compute_partner_credit_warning()
        for order in self.filtered("partner_credit_warning"):
            if order._recouvrement_credit_applies():
                order.partner_credit_warning = ""
        return result

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

    def _recouvrement_credit_applies(self):
        """Our credit control speaks for this order: a rule on the exposure acts on orders in its
        company, or the customer's position already warns or blocks."""
        self.ensure_one()
        if self.credit_status != "ok":
            return True
        # sudo: whoever sees the order (portal customer, accountant) may lack rule rights; only its company's
        rules = self.env["recouvrement.credit.rule"].sudo()._get_company_rules(self.company_id)
        return any(
            rule.condition in rule._EXPOSURE_CONDITIONS and rule.sale_effect != "none" for rule in rules
        )

    def _credit_covered_otherwise(self):
        """Paid in full online: the payment covers what the order adds."""
        self._prefetch_no_transactions()
        return (
            bool(self.transaction_ids)  # most orders have none: skip computing the paid amount
            and self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0
        )

    def _prefetch_no_transactions(self):
        """Tell the record cache that the orders of this prefetch set without any transaction have
        none, from the relation table alone, in one query for them all: reading ``transaction_ids``
        joins and sorts the transactions, a third of what a blocked order's check cost."""
        field = self._fields["transaction_ids"]
        missing = [
            order_id
            for order_id in self.env.cache.get_missing_ids(self.browse(self._prefetch_ids), field)
            if isinstance(order_id, int)
        ]
        if not missing:
            return
        self.flush_model(["transaction_ids"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT sale_order_id FROM sale_order_transaction_rel WHERE sale_order_id = ANY(%s)",
                missing,
            )
        )
        linked = {row[0] for row in self.env.cr.fetchall()}
        without = self.browse([order_id for order_id in missing if order_id not in linked])
        self.env.cache.insert_missing(without, field, [()] * len(without))

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
