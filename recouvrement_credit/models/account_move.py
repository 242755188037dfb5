from odoo import api, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "recouvrement.credit.check.mixin"]
    _credit_document = "invoice"
    _credit_resume_method = "action_post"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._mark_credit_refresh()
        return moves

    def write(self, vals):
        result = super().write(vals)
        self._mark_credit_refresh()
        return result

    def unlink(self):
        self._mark_credit_refresh()
        return super().unlink()

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _credit_needs_check(self):
        return self.move_type == "out_invoice" and self.state == "draft"

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _mark_credit_refresh(self):
        """Customer invoices and credit notes, and entries with a partner (payments), change exposures."""
        moves = self.filtered(
            lambda m: m.partner_id and (m.is_sale_document(include_receipts=True) or m.move_type == "entry")
        )
        self.env["recouvrement.credit.position"]._mark_for_refresh(moves.partner_id)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_post(self):
        return self._check_credit() or super().action_post()
