from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "recouvrement.credit.check.mixin"]
    _credit_document = "delivery"
    _credit_resume_method = "button_validate"
    _credit_fields = ("partner_id", "company_id", "state", "picking_type_code")

    def _credit_needs_check(self):
        """Deliveries to a customer only: receipts and internal transfers are never held."""
        return (
            self.picking_type_code == "outgoing" and self.partner_id and self.state not in ("done", "cancel")
        )

    def button_validate(self):
        return self._check_credit() or super().button_validate()
