from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_manager_id = fields.Many2one(related="company_id.credit_manager_id", readonly=False)
    credit_prepayment_grade = fields.Selection(related="company_id.credit_prepayment_grade", readonly=False)
    payment_term_cap_days = fields.Integer(related="company_id.payment_term_cap_days", readonly=False)
    payment_term_cap_eom_days = fields.Integer(related="company_id.payment_term_cap_eom_days", readonly=False)
    dunning_promise_grace_days = fields.Integer(
        related="company_id.dunning_promise_grace_days", readonly=False
    )
    dunning_plan_grace_days = fields.Integer(related="company_id.dunning_plan_grace_days", readonly=False)
