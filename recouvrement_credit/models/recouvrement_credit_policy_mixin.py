from odoo import api, models


class RecouvrementCreditPolicyMixin(models.AbstractModel):
    """Data that decides credit positions (rules, risk factors): any change has every position
    decided again, by the refresh scheduled action triggered at once."""

    _name = "recouvrement.credit.policy.mixin"
    _description = "Credit policy data"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["recouvrement.credit.position"]._invalidate_all()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env["recouvrement.credit.position"]._invalidate_all()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["recouvrement.credit.position"]._invalidate_all()
        return result
