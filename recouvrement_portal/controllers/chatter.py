"""Files a customer attaches in the portal chatter of a dispute, promise or payment plan obey the
company's limits for the portal's dispute attachments (type, size), as the dispute form does."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.attachment import PortalAttachmentController


class CollectionsChatterAttachment(PortalAttachmentController):
    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        error = self._check_collections_upload(ufile, thread_id, thread_model, **kwargs)
        if error:
            # The chatter shows the message of a JSON "error" in a notification.
            return request.make_json_response({"error": error})
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending=is_pending, **kwargs)

    def _check_collections_upload(self, ufile, thread_id, thread_model, **kwargs):
        """The reason a customer's file is refused on one of our records, else None."""
        if not request.env.user.share or thread_model not in request.env.registry:
            return None
        model = request.env[thread_model]
        if not getattr(model, "_portal_kind", None):
            return None
        thread = model._get_thread_with_access(int(thread_id), **kwargs)
        if not thread:
            return None  # the upload itself answers as for any record out of reach
        content = ufile.read()
        ufile.seek(0)
        try:
            request.env["recouvrement.dispute"]._portal_check_files(
                thread.company_id, [(ufile.filename, content)]
            )
        except UserError as error:
            return error.args[0]
        return None
