from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._mark_credit_refresh()
        return partials

    def unlink(self):
        self._mark_credit_refresh()
        return super().unlink()

    def _mark_credit_refresh(self):
        lines = self.debit_move_id | self.credit_move_id
        self.env["recouvrement.credit.position"]._mark_for_refresh(lines.partner_id)
