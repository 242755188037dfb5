from odoo import api, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "recouvrement.credit.check.mixin"]
    _credit_document = "sale"
    _credit_resume_method = "action_confirm"

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

    def _credit_extra_exposure(self):
        return self.company_id.currency_id.round(self.amount_total / (self.currency_rate or 1.0))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_confirm(self):
        return self._check_credit() or super().action_confirm()
