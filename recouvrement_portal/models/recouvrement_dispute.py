import base64
import os

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

SOURCES = [("collector", "Collector"), ("portal", "Portal")]


class RecouvrementDispute(models.Model):
    _name = "recouvrement.dispute"
    _inherit = ["recouvrement.portal.chatter.mixin", "recouvrement.dispute"]
    _portal_kind = "dispute"

    source = fields.Selection(
        SOURCES, required=True, default="collector", readonly=True, help="Where the dispute was opened."
    )
    portal_contact_id = fields.Many2one(
        "res.partner", "Opened By", readonly=True, help="The customer's contact who opened it on the portal."
    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _portal_check_files(self, company, files):
        """FILES are (name, content bytes): refuse too many, too large or of a type not allowed."""
        if len(files) > company.portal_dispute_max_files:
            raise UserError(
                self.env._("You can attach at most %(count)s files.", count=company.portal_dispute_max_files)
            )
        allowed = company._get_portal_file_types()
        max_bytes = company.portal_dispute_max_size_mb * 1024 * 1024
        for name, content in files:
            extension = os.path.splitext(name or "")[1].lower().lstrip(".")
            if extension not in allowed:
                raise UserError(
                    self.env._(
                        "%(file)s: this type of file is not accepted (accepted: %(types)s).",
                        file=name,
                        types=", ".join(sorted(allowed)),
                    )
                )
            if len(content) > max_bytes:
                raise UserError(
                    self.env._(
                        "%(file)s is too large (at most %(size)s MB).",
                        file=name,
                        size=company.portal_dispute_max_size_mb,
                    )
                )

    @api.model
    def _portal_create(self, contact, move, category, message, files=()):
        """The dispute a customer's CONTACT opens on MOVE from the portal (sudo, after the portal
        checked MOVE belongs to the customer): same record as the collectors', source portal, the
        files attached, the customer's collector notified."""
        if (
            move.move_type != "out_invoice"
            or move.state != "posted"
            or move.payment_state in ("paid", "in_payment", "reversed")
        ):
            raise UserError(self.env._("This invoice cannot be disputed."))
        if category not in dict(self._fields["category"].selection):
            raise UserError(self.env._("Choose the reason of your dispute."))
        if not (message or "").strip():
            raise UserError(self.env._("Tell us what you contest."))
        if self.search_count([("move_id", "=", move.id), ("state", "=", "open")]):
            raise UserError(self.env._("This invoice is already disputed."))
        self._portal_check_files(move.company_id, files)
        collector = move.commercial_partner_id.with_company(move.company_id).dunning_collector_id
        dispute = self.with_company(move.company_id).create(
            {
                "move_id": move.id,
                "category": category,
                "description": Markup("<p>%s</p>") % message.strip(),
                "source": "portal",
                "portal_contact_id": contact.id,
                "user_id": collector.id or False,
            }
        )
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": dispute.id,
                }
                for name, content in files
            ]
        )
        dispute.message_subscribe(partner_ids=contact.ids)
        dispute.message_post(
            body=self.env._("Dispute opened from the customer portal."),
            author_id=contact.id,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if dispute.user_id:
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Dispute opened on the portal: %(invoice)s", invoice=move.name),
                user_id=dispute.user_id.id,
            )
        return dispute

    def _close(self, state, resolution):
        """The customer is told the outcome: a message its followers (the contact who opened it)
        receive."""
        result = super()._close(state, resolution)
        for dispute in self.filtered(lambda d: d.source == "portal"):
            outcome = dict(dispute._fields["state"]._description_selection(self.env))[state]
            body = self.env._(
                "Your dispute %(dispute)s is closed: %(outcome)s.", dispute=dispute.name, outcome=outcome
            )
            if dispute.resolution_note:
                body = Markup("%s<br/>%s") % (body, dispute.resolution_note)
            dispute.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")
        return result
