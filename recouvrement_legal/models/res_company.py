from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    legal_prescription_alert_days = fields.Integer(
        "Prescription Alert (Days)",
        default=90,
        help="The dunning run proposes the legal handover of items prescribing within this many days, "
        "whatever their level.",
    )
