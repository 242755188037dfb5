from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_manager_id = fields.Many2one(related="company_id.credit_manager_id", readonly=False)
    aged_balance_bucket_days = fields.Char(related="company_id.aged_balance_bucket_days", readonly=False)
    credit_prepayment_grade = fields.Selection(related="company_id.credit_prepayment_grade", readonly=False)
    payment_term_cap_days = fields.Integer(related="company_id.payment_term_cap_days", readonly=False)
    payment_term_cap_eom_days = fields.Integer(related="company_id.payment_term_cap_eom_days", readonly=False)
    dunning_scenario_id = fields.Many2one(related="company_id.dunning_scenario_id", readonly=False)
    dunning_tolerance_amount = fields.Float(related="company_id.dunning_tolerance_amount", readonly=False)
    dunning_contact_cap = fields.Integer(related="company_id.dunning_contact_cap", readonly=False)
    dunning_contact_window_days = fields.Integer(
        related="company_id.dunning_contact_window_days", readonly=False
    )
    dunning_contact_hour_from = fields.Float(related="company_id.dunning_contact_hour_from", readonly=False)
    dunning_contact_hour_to = fields.Float(related="company_id.dunning_contact_hour_to", readonly=False)
    dunning_quiet_sunday = fields.Boolean(related="company_id.dunning_quiet_sunday", readonly=False)
    late_payment_policy_id = fields.Many2one(related="company_id.late_payment_policy_id", readonly=False)
    late_payment_journal_id = fields.Many2one(related="company_id.late_payment_journal_id", readonly=False)
    late_payment_interest_product_id = fields.Many2one(
        related="company_id.late_payment_interest_product_id", readonly=False
    )
    late_payment_indemnity_product_id = fields.Many2one(
        related="company_id.late_payment_indemnity_product_id", readonly=False
    )
    late_payment_interest_account_id = fields.Many2one(
        related="company_id.late_payment_interest_account_id", readonly=False
    )
    late_payment_indemnity_account_id = fields.Many2one(
        related="company_id.late_payment_indemnity_account_id", readonly=False
    )
    late_payment_mention = fields.Text(related="company_id.late_payment_mention", readonly=False)
    dunning_promise_grace_days = fields.Integer(
        related="company_id.dunning_promise_grace_days", readonly=False
    )
    dunning_plan_grace_days = fields.Integer(related="company_id.dunning_plan_grace_days", readonly=False)
