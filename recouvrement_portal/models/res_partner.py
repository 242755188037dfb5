from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    portal_link_count = fields.Integer(
        "Valid Portal Links",
        compute="_compute_portal_link_count",
        groups="recouvrement_credit.group_user",
    )

    def _compute_portal_link_count(self):
        counts = dict(
            self.env["recouvrement.portal.link"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                    ("revoked", "=", False),
                    ("date_expiry", ">", fields.Datetime.now()),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.portal_link_count = counts.get(partner.commercial_partner_id, 0)

    def action_revoke_portal_links(self):
        """Every link sent to these customers in the current company stops working at once."""
        links = self.env["recouvrement.portal.link"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
                ("revoked", "=", False),
            ]
        )
        links.action_revoke()
        for partner in self.commercial_partner_id:
            # Collectors leave the trace on customers they may not edit, as the dunning engine does.
            partner.sudo().message_post(
                body=self.env._(
                    "Portal links revoked: %(count)s link(s).",
                    count=len(links.filtered(lambda link, p=partner: link.partner_id == p)),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
