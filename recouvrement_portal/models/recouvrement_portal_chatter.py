from odoo import api, models


class RecouvrementPortalChatterMixin(models.AbstractModel):
    """The conversation between a customer and its collector on a dispute, a promise to pay or a
    payment plan, through Odoo's portal chatter (``portal.message_thread``).

    Customers have no access rights on these models, so the chatter's access check is replaced
    for them: a signed-in portal user reaches the records of its own customer; a visitor without
    a login reaches them only while the portal link it carries as ``token`` is valid (not expired,
    not revoked) and opens that record's customer in that record's company. The hash and pid the
    page gives the chatter only name the author of the visitor's messages: they open nothing."""

    _name = "recouvrement.portal.chatter.mixin"
    # Listed first in the records' _inherit: these overrides come before mail.thread's.
    _inherit = ["portal.mixin"]
    _description = "Customer portal conversation"

    # The page of a record under /my/collections and /collections/<token>: dispute, promise, plan.
    _portal_kind = None

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for record in self:
            record.access_url = f"/my/collections/{self._portal_kind}/{record.id}"
        return result

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        if not self.env.user.share:
            return super()._get_thread_with_access(thread_id, mode, **kwargs)
        # sudo: customers have no rights on these models; the record is checked to be theirs below
        thread = self.browse(thread_id).sudo().exists()
        if thread and self._is_portal_owner(thread, kwargs.get("token")):
            return thread
        return self.browse()

    @api.model
    def _is_portal_owner(self, thread, token):
        """Whether the current portal user, or the visitor carrying the link TOKEN, is THREAD's
        customer in THREAD's company. Can be inherited."""
        if self.env.user._is_public():
            link = self.env["recouvrement.portal.link"]._resolve(token)
            return bool(link) and (link.partner_id, link.company_id) == (thread.partner_id, thread.company_id)
        customer = self.env.user.partner_id.commercial_partner_id
        companies = self.env["recouvrement.portal.statement"]._get_customer_companies(customer)
        return thread.partner_id == customer and thread.company_id in companies

    def _get_portal_chatter_values(self, scope):
        """What ``portal.message_thread`` needs on this record's page for SCOPE: the credential
        its requests carry (the link's token, or the record's access token for a signed-in user)
        and the customer's contact that signs the messages."""
        self.ensure_one()
        return {
            "token": scope.token or self._portal_ensure_token(),
            "pid": scope.contact.id,
            "hash": self._sign_token(scope.contact.id),
        }

    def message_post(self, **kwargs):
        # A customer's message reaches the collector in charge even when not following the record.
        if len(self) == 1 and self.user_id and self._is_customer_author(kwargs.get("author_id")):
            partner_ids = list(kwargs.get("partner_ids") or [])
            kwargs["partner_ids"] = [*partner_ids, self.user_id.partner_id.id]
        return super().message_post(**kwargs)

    def _is_customer_author(self, author_id):
        author = self.env["res.partner"].browse(author_id) if author_id else self.env.user.partner_id
        return author.commercial_partner_id == self.partner_id
