from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .recouvrement_credit_position import STATUS_OF_EFFECT, STATUSES


class RecouvrementCreditCheckMixin(models.AbstractModel):
    """A document (order, invoice, delivery) that the customer's credit may warn about or block.

    A model using it sets ``_credit_document`` ('sale', 'invoice' or 'delivery': the effect column of
    the rules), calls ``_check_credit()`` at the start of its confirming action and returns what it
    returns when it is not None, and may override the hooks below."""

    _name = "recouvrement.credit.check.mixin"
    _description = "Document checked against the customer's credit"
    _credit_document = None
    _credit_resume_method = None  # the action the grant wizard runs again once an exception exists
    _credit_fields = ("partner_id", "company_id")  # what the check reads: fetched in one query

    credit_status = fields.Selection(
        STATUSES,
        compute="_compute_credit_status",
        compute_sudo=True,
    )
    credit_warning = fields.Text(compute="_compute_credit_status", compute_sudo=True)

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    @api.depends_context("lang")
    def _compute_credit_status(self):
        positions = self.env["recouvrement.credit.position"].search(
            [
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_key = {(p.partner_id, p.company_id): p for p in positions}
        for document in self:
            position = by_key.get((document.partner_id.commercial_partner_id, document.company_id))
            effect = position[f"{self._credit_document}_effect"] if position else "none"
            document.credit_status = STATUS_OF_EFFECT[effect]
            document.credit_warning = position.reasons if position and effect != "none" else False

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _credit_needs_check(self):
        """Whether this document must pass the credit check now."""
        return True

    def _credit_extra_exposure(self):
        """What this document adds to the exposure once confirmed, in company currency."""
        return 0.0

    def _credit_covered_otherwise(self):
        """Whether a blocked document may go on anyway, exceptions aside (e.g. paid online)."""
        return False

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _check_credit(self):
        """Let the documents through, or stop the blocked ones: a credit manager gets the wizard to
        grant an exception (one document at a time), anyone else a translated error with the reasons.
        Return None when every document may go on."""
        blocked = self._get_credit_blocked()
        if not blocked:
            return None
        if len(blocked) == 1 and self.env.user.has_group("recouvrement_credit.group_manager"):
            document, reasons = blocked[0]
            return document._action_open_credit_exception_wizard(reasons)
        lines = [
            self.env._(
                "%(document)s: %(reasons)s", document=document.display_name, reasons="; ".join(reasons)
            )
            for document, reasons in blocked
        ]
        raise UserError(
            self.env._("The customer's credit blocks this operation. Ask a credit manager for an exception.")
            + "\n"
            + "\n".join(lines)
        )

    def _get_credit_blocked(self):
        """[(document, reasons)] for the documents that the rules block and no exception covers.
        Decides on the whole batch at once: a constant number of queries, whatever its size."""
        # read only what the check needs: partners and companies have hundreds of columns
        self.fetch(self._credit_fields)
        self.partner_id.fetch(["commercial_partner_id"])
        self.company_id.fetch(["currency_id"])
        documents = self.filtered(lambda d: d._credit_needs_check())
        requests = [
            (
                document.partner_id.commercial_partner_id,
                document.company_id,
                document._credit_extra_exposure(),
            )
            for document in documents
        ]
        decisions = self.env["recouvrement.credit.position"]._get_decisions(requests, self._credit_document)
        stopped = [
            (document, request, decision)
            for document, request, decision in zip(documents, requests, decisions, strict=True)
            if decision[1] == "block" and not document._credit_covered_otherwise()
        ]
        # warehouse and billing users may not read exceptions, which decide for them all the same
        exceptions = self.env["recouvrement.credit.exception"].sudo()
        with_exceptions = [
            request[0] for __, request, decision in stopped if decision[0].has_valid_exceptions
        ]
        exceptions = exceptions._get_valid(self.env["res.partner"].union(*with_exceptions), self.company_id)
        blocked = [
            (document, reasons)
            for document, (partner, company, extra), (position, __, reasons) in stopped
            if not exceptions._select_covering(partner, company, document, position.exposure + extra)
        ]
        for document, __, (__, effect, reasons) in zip(documents, requests, decisions, strict=True):
            if effect == "warning":
                document._log_credit_warning(reasons)
        return blocked

    def _log_credit_warning(self, reasons):
        self.message_post(
            body=Markup("%s<br/>%s")
            % (self.env._("Confirmed despite a credit warning:"), "; ".join(reasons)),
            subtype_xmlid="mail.mt_note",
        )

    def _action_open_credit_exception_wizard(self, reasons):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer blocked by credit control"),
            "res_model": "recouvrement.credit.exception.grant",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_company_id": self.company_id.id,
                "default_document_ref": f"{self._name},{self.id}",
                "default_blocking_reasons": "\n".join(reasons),
            },
        }
