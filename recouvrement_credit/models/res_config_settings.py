from odoo import api, fields, models

from .recouvrement_legal_rate import ECB_RATE_CONFIRMED_UNTIL, LEGAL_RATE_CONFIRMED_UNTIL


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
    late_payment_consumer_policy_id = fields.Many2one(
        related="company_id.late_payment_consumer_policy_id", readonly=False
    )
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
    # Global: the rate tables are shared by every company (ir.config_parameter has no Date fields).
    recouvrement_legal_rate_confirmed_until = fields.Date(
        "Legal Rates Confirmed up To",
        help="Late-payment penalties are not computed beyond this date with the French legal rates: "
        "move it once the new semester's arrêté is loaded.",
    )
    recouvrement_ecb_rate_confirmed_until = fields.Date(
        "ECB Rates Confirmed up To",
        help="Late-payment penalties are not computed beyond this date with the ECB rates: move it "
        "after checking the ECB's decisions (and entering any change).",
    )

    @api.model
    def _get_confirmed_until_params(self):
        return {
            "recouvrement_legal_rate_confirmed_until": LEGAL_RATE_CONFIRMED_UNTIL,
            "recouvrement_ecb_rate_confirmed_until": ECB_RATE_CONFIRMED_UNTIL,
        }

    @api.model
    def get_values(self):
        values = super().get_values()
        params = self.env["ir.config_parameter"].sudo()  # sudo: settings are for administrators already
        for field_name, key in self._get_confirmed_until_params().items():
            values[field_name] = fields.Date.to_date(params.get_param(key)) or False
        return values

    def set_values(self):
        result = super().set_values()
        params = self.env["ir.config_parameter"].sudo()  # sudo: settings are for administrators already
        for field_name, key in self._get_confirmed_until_params().items():
            value = self[field_name]
            params.set_param(key, fields.Date.to_string(value) if value else False)
        return result
