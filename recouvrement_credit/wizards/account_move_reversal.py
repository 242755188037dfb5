from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        """Opened from a dispute (context key ``recouvrement_dispute_id``): the credit note created
        resolves it."""
        action = super().reverse_moves(is_modify=is_modify)
        dispute_id = self.env.context.get("recouvrement_dispute_id")
        credit_notes = self.new_move_ids.filtered(lambda move: move.move_type == "out_refund")
        if dispute_id and credit_notes:
            dispute = self.env["recouvrement.dispute"].browse(dispute_id)
            if dispute.state == "open":
                dispute._resolve_by_credit_note(credit_notes[:1])
        return action
