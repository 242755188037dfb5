from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Links without a login
    portal_link_validity_days = fields.Integer(
        "Portal Link Validity (Days)",
        default=30,
        help="How long the link carried by a reminder opens the customer's statement without a login "
        "(1 to 1000 days).",
    )
    portal_show_credit_status = fields.Boolean(
        "Show Credit Status on the Portal",
        help="Customers see whether their account is blocked, why, and the credit still available.",
    )
    # Disputes
    portal_dispute_max_files = fields.Integer("Attachments per Dispute", default=5)
    portal_dispute_max_size_mb = fields.Float("Attachment Size Limit (MB)", default=5.0)
    portal_dispute_file_types = fields.Char(
        "Attachment Types",
        default="pdf,png,jpg,jpeg,txt,csv,xlsx,docx",
        help="File extensions a customer may attach to a dispute, separated by commas.",
    )
    # Promises
    portal_promise_max_days = fields.Integer(
        "Latest Promise (Days)",
        default=30,
        help="A customer may promise to pay on the portal at most this many days ahead.",
    )
    # Payment-plan requests
    portal_plan_auto_approve = fields.Boolean(
        "Approve Plan Requests Automatically",
        default=True,
        help="A request within the limits below is approved at once; any other waits for a collector.",
    )
    portal_plan_max_instalments = fields.Integer("Maximum Instalments", default=6)
    portal_plan_min_instalment = fields.Float(
        "Minimum Instalment", default=50.0, help="In the company's currency."
    )
    portal_plan_max_days = fields.Integer(
        "Maximum Plan Duration (Days)", default=180, help="From today to the last instalment."
    )
    portal_plan_max_amount = fields.Float(
        "Maximum Plan Amount", default=10000.0, help="In the company's currency. 0: no limit."
    )
    portal_plan_exclude_blocked = fields.Boolean(
        "Never Auto-Approve Blocked Customers",
        default=True,
        help="Requests of customers whose credit is blocked always wait for a collector.",
    )

    @api.constrains(
        "portal_link_validity_days",
        "portal_dispute_max_files",
        "portal_dispute_max_size_mb",
        "portal_promise_max_days",
        "portal_plan_max_instalments",
        "portal_plan_min_instalment",
        "portal_plan_max_days",
        "portal_plan_max_amount",
    )
    def _check_portal_settings(self):
        for company in self:
            if not 1 <= company.portal_link_validity_days <= 1000:
                raise ValidationError(self.env._("Portal links must be valid for 1 to 1000 days."))
            if (
                company.portal_dispute_max_files < 0
                or company.portal_dispute_max_size_mb < 0
                or company.portal_promise_max_days < 0
                or company.portal_plan_max_instalments < 1
                or company.portal_plan_min_instalment < 0
                or company.portal_plan_max_days < 1
                or company.portal_plan_max_amount < 0
            ):
                raise ValidationError(self.env._("The customer portal's limits cannot be negative."))

    def _get_portal_file_types(self):
        """The extensions allowed on dispute attachments, lower case, without dots."""
        self.ensure_one()
        return {
            ext.strip().lower().lstrip(".")
            for ext in (self.portal_dispute_file_types or "").split(",")
            if ext.strip()
        }
