import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from odoo import api, fields, models

# Short codes printed on letters (/c/<code>): lower-case letters and digits without the ones read
# alike on paper (0/o, 1/l/i); 14 of these 31 symbols carry 69 bits, beyond any online guessing.
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 14
SHORT_CODE_PATTERN = re.compile(f"[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}")


def hash_token(token):
    """What is stored of a link's token: its SHA-256, so that the table alone opens nothing."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class RecouvrementPortalLink(models.Model):
    """A link that opens one customer's statement in one company without a login: a random 256-bit
    token (only its hash is stored), expiring after the company's validity, revocable from the
    customer form. Each reminder email carries a new one."""

    _name = "recouvrement.portal.link"
    _description = "Customer portal link"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    token_hash = fields.Char(required=True, readonly=True, index=True, copy=False, groups="base.group_system")
    date_expiry = fields.Datetime("Expires On", required=True, readonly=True)
    revoked = fields.Boolean(readonly=True)
    communication_id = fields.Many2one("recouvrement.dunning.communication", "Reminder", readonly=True)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("revoked", "Revoked")], compute="_compute_state"
    )

    _sql_constraints = [("token_hash_unique", "UNIQUE(token_hash)", "A portal link's token is unique.")]

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("revoked", "date_expiry")
    def _compute_state(self):
        now = fields.Datetime.now()
        for link in self:
            link.state = "revoked" if link.revoked else "expired" if link.date_expiry <= now else "valid"

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _issue(self, partner, company, communication=None):
        """A new link to PARTNER's statement in COMPANY; returns the token, shown only this once."""
        token = secrets.token_urlsafe(32)
        # Links are issued by the dunning engine for any sender: the token never leaves this call.
        self.sudo().create(
            {
                "partner_id": partner.commercial_partner_id.id,
                "company_id": company.id,
                "token_hash": hash_token(token),
                "date_expiry": fields.Datetime.now() + timedelta(days=company.portal_link_validity_days),
                "communication_id": communication.id if communication else False,
            }
        )
        return token

    @api.model
    def _get_portal_url(self, partner, company, communication=None):
        """The absolute URL of a new link to PARTNER's statement in COMPANY."""
        token = self._issue(partner, company, communication)
        return f"{company.get_base_url()}/collections/{token}"

    @api.model
    def _get_letter_url(self, communication):
        """The short link printed on COMMUNICATION's letter (``/c/<code>``, also its QR code): the
        same each time the letter is printed, issued the first time, expiring and revocable like
        any other. The code is the link's token: only its hash is stored."""
        code = self._get_letter_code(communication)
        # sudo: links are collectors' and token_hash the system's; letters print for any user
        links = self.sudo()
        if not links.search_count([("token_hash", "=", hash_token(code))]):
            company = communication.company_id
            links.create(
                {
                    "partner_id": communication.partner_id.commercial_partner_id.id,
                    "company_id": company.id,
                    "token_hash": hash_token(code),
                    "date_expiry": fields.Datetime.now() + timedelta(days=company.portal_link_validity_days),
                    "communication_id": communication.id,
                }
            )
        return f"{communication.company_id.get_base_url()}/c/{code}"

    @api.model
    def _get_letter_code(self, communication):
        """COMMUNICATION's short code: derived from the reminder with the database secret, so that
        a reprint prints the same code while nobody can compute it."""
        # The database secret is readable by the system only: the code never leaves this class.
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        message = f"recouvrement_portal.letter:{communication.id}:{communication.company_id.id}"
        number = int.from_bytes(hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest())
        base = len(SHORT_CODE_ALPHABET)
        symbols = []
        for _position in range(SHORT_CODE_LENGTH):
            number, index = divmod(number, base)
            symbols.append(SHORT_CODE_ALPHABET[index])
        return "".join(symbols)

    @api.model
    def _resolve_short_code(self, code):
        """The valid link of the short CODE (as typed: case does not matter), or an empty
        recordset, as ``_resolve``."""
        code = (code or "").strip().lower()
        if not SHORT_CODE_PATTERN.fullmatch(code):
            return self.sudo().browse()  # sudo: empty; callers get a sudo recordset either way
        return self._resolve(code)

    @api.model
    def _resolve(self, token):
        """The valid link carrying TOKEN (sudo), or an empty recordset: forged, expired and revoked
        tokens are alike."""
        if not token or len(token) > 128:
            return self.sudo().browse()  # sudo: empty; callers get a sudo recordset either way
        # sudo: the link's token is the credential; its visitor has no user, token_hash is the system's
        link = self.sudo().search([("token_hash", "=", hash_token(token))], limit=1)
        if not link or link.revoked or link.date_expiry <= fields.Datetime.now():
            return self.sudo().browse()  # sudo: empty; callers get a sudo recordset either way
        return link

    def action_revoke(self):
        self.write({"revoked": True})
        return True

    @api.model
    def _demo_send_links(self, partner_ids):
        """Demo: the latest reminder of each customer is emailed again with its portal link, so that
        the demo shows a reminder email with a working link."""
        communications = self.env["recouvrement.dunning.communication"].search(
            [("partner_id", "in", partner_ids), ("state", "=", "sent")], order="date desc, id desc"
        )
        for partner_id in partner_ids:
            communication = communications.filtered(lambda c, p=partner_id: c.partner_id.id == p)[:1]
            if not communication:
                continue
            recipient = communication._get_recipient()
            communication.with_context(lang=recipient.lang).message_post(
                body=communication.with_context(lang=recipient.lang)._prepare_portal_link_html(),
                subject=self.env._("Your statement online"),
                partner_ids=recipient.ids if recipient.email else [],
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
