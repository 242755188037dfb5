from odoo import fields, models


class RecouvrementCreditException(models.Model):
    _inherit = "recouvrement.credit.exception"

    # Exceptions are an audit log: on uninstall, keep them and forget which delivery they named.
    document_ref = fields.Reference(
        selection_add=[("stock.picking", "Delivery")], ondelete={"stock.picking": "set null"}
    )


class RecouvrementCreditExceptionGrant(models.TransientModel):
    _inherit = "recouvrement.credit.exception.grant"

    document_ref = fields.Reference(
        selection_add=[("stock.picking", "Delivery")], ondelete={"stock.picking": "cascade"}
    )
