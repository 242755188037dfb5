from odoo import api, models


class RecouvrementCreditPolicyMixin(models.AbstractModel):
    """Data that decides credit positions (rules, risk factors): any change has every position
    decided again, by the refresh scheduled action triggered at once, and clears the ormcache that
    the decisions read the rules from (``recouvrement.credit.rule._get_rule_definitions``)."""

    _name = "recouvrement.credit.policy.mixin"
    _description = "Credit policy data"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        self.env["recouvrement.credit.position"]._invalidate_all()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        self.env["recouvrement.credit.position"]._invalidate_all()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        self.env["recouvrement.credit.position"]._invalidate_all()
        return result
