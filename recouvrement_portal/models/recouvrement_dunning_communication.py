import base64
import io

import qrcode
from markupsafe import Markup

from odoo import models

# Context key: the message being posted is a reminder email, which carries a portal link.
PORTAL_LINK = "recouvrement_portal_link"


class RecouvrementDunningCommunication(models.Model):
    _inherit = "recouvrement.dunning.communication"

    def _get_portal_url(self):
        """A new link to the customer's statement, valid for the company's number of days."""
        self.ensure_one()
        return self.env["recouvrement.portal.link"]._get_portal_url(self.partner_id, self.company_id, self)

    def _prepare_portal_link_html(self):
        """The paragraph a reminder email ends with. Can be inherited."""
        url = self._get_portal_url()
        return Markup('<p><a href="%s">%s</a><br/><small>%s</small></p>') % (
            url,
            self.env._("See your statement, pay, dispute an invoice or ask for a payment plan"),
            self.env._(
                "This personal link is valid for %(days)s days.",
                days=self.company_id.portal_link_validity_days,
            ),
        )

    def _get_portal_payment_url(self):
        # the letters' "Pay online" line (recouvrement_credit's hook): this customer's portal link
        self.ensure_one()
        return self._get_portal_letter_link()["url"]

    def _get_portal_letter_link(self):
        """For a letter: its link and the QR code of it (a PNG data URI) to print under the payment
        details; printing the letter again prints the same link."""
        self.ensure_one()
        url = self.env["recouvrement.portal.link"]._get_letter_url(self)
        # qrcode rather than ir.actions.report.barcode: the same letter prints the same image.
        output = io.BytesIO()
        qrcode.make(url, box_size=4, border=2).save(output, format="PNG")
        return {"url": url, "qr": "data:image/png;base64,%s" % base64.b64encode(output.getvalue()).decode()}

    def message_post(self, **kwargs):
        if (
            self.env.context.get(PORTAL_LINK)
            and len(self) == 1
            and kwargs.get("body")
            and kwargs.get("message_type") == "comment"
        ):
            kwargs["body"] = Markup("%s%s") % (Markup(kwargs["body"]), self._prepare_portal_link_html())
        return super().message_post(**kwargs)


class RecouvrementDunningDispatch(models.Model):
    _inherit = "recouvrement.dunning.dispatch"

    def _send_email(self):
        return super(RecouvrementDunningDispatch, self.with_context(**{PORTAL_LINK: True}))._send_email()

    def _send_email_batch(self):
        return super(
            RecouvrementDunningDispatch, self.with_context(**{PORTAL_LINK: True})
        )._send_email_batch()
