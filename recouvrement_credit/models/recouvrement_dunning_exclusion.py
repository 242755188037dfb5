from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementDunningExclusion(models.Model):
    """Keeps a customer, or one of its invoices, out of the dunning runs: with a reason, until a date
    or until removed (archived, never deleted, so the history stays)."""

    _name = "recouvrement.dunning.exclusion"
    _inherit = ["mail.thread"]
    _description = "Dunning exclusion"
    _order = "id desc"
    _check_company_auto = True

    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        domain=[("parent_id", "=", False)],
        tracking=True,
    )
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice')]",
        help="Leave empty to exclude all the customer's invoices.",
    )
    reason = fields.Char(required=True, tracking=True)
    date_end = fields.Date("Until", tracking=True, help="Leave empty to exclude until further notice.")

    @api.constrains("partner_id", "move_id")
    def _check_move_partner(self):
        for exclusion in self:
            if exclusion.move_id and exclusion.move_id.commercial_partner_id != exclusion.partner_id:
                raise ValidationError(
                    self.env._("The excluded invoice must belong to the excluded customer.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        return super().create(vals_list)
