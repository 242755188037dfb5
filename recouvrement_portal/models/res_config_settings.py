from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    portal_link_validity_days = fields.Integer(related="company_id.portal_link_validity_days", readonly=False)
    portal_show_credit_status = fields.Boolean(related="company_id.portal_show_credit_status", readonly=False)
    portal_dispute_max_files = fields.Integer(related="company_id.portal_dispute_max_files", readonly=False)
    portal_dispute_max_size_mb = fields.Float(related="company_id.portal_dispute_max_size_mb", readonly=False)
    portal_dispute_file_types = fields.Char(related="company_id.portal_dispute_file_types", readonly=False)
    portal_promise_max_days = fields.Integer(related="company_id.portal_promise_max_days", readonly=False)
    portal_plan_auto_approve = fields.Boolean(related="company_id.portal_plan_auto_approve", readonly=False)
    portal_plan_max_instalments = fields.Integer(
        related="company_id.portal_plan_max_instalments", readonly=False
    )
    portal_plan_min_instalment = fields.Float(related="company_id.portal_plan_min_instalment", readonly=False)
    portal_plan_max_days = fields.Integer(related="company_id.portal_plan_max_days", readonly=False)
    portal_plan_max_amount = fields.Float(related="company_id.portal_plan_max_amount", readonly=False)
    portal_plan_exclude_blocked = fields.Boolean(
        related="company_id.portal_plan_exclude_blocked", readonly=False
    )
