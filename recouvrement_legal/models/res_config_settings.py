from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    legal_prescription_alert_days = fields.Integer(
        related="company_id.legal_prescription_alert_days", readonly=False
    )
    legal_journal_id = fields.Many2one(related="company_id.legal_journal_id", readonly=False)
    legal_doubtful_account_id = fields.Many2one(
        related="company_id.legal_doubtful_account_id", readonly=False
    )
    legal_impairment_account_id = fields.Many2one(
        related="company_id.legal_impairment_account_id", readonly=False
    )
    legal_impairment_expense_account_id = fields.Many2one(
        related="company_id.legal_impairment_expense_account_id", readonly=False
    )
    legal_impairment_reversal_account_id = fields.Many2one(
        related="company_id.legal_impairment_reversal_account_id", readonly=False
    )
    legal_writeoff_account_id = fields.Many2one(
        related="company_id.legal_writeoff_account_id", readonly=False
    )
    legal_writeoff_prior_account_id = fields.Many2one(
        related="company_id.legal_writeoff_prior_account_id", readonly=False
    )
    legal_insurer_account_id = fields.Many2one(related="company_id.legal_insurer_account_id", readonly=False)
    legal_agency_account_id = fields.Many2one(related="company_id.legal_agency_account_id", readonly=False)
    legal_recovery_income_account_id = fields.Many2one(
        related="company_id.legal_recovery_income_account_id", readonly=False
    )
