from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date


class RecouvrementCreditException(models.Model):
    """An exception (dérogation) a credit manager grants to a blocked customer: for one document, or
    for the customer until a date and optionally up to an exposure. Kept as an audit log: it can be
    revoked, never deleted."""

    _name = "recouvrement.credit.exception"
    _inherit = ["mail.thread"]
    _description = "Credit exception"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    scope = fields.Selection(
        [("document", "This document only"), ("partner", "The customer, until a date")],
        required=True,
        default="document",
        tracking=True,
    )
    document_ref = fields.Reference(
        [("sale.order", "Sales Order"), ("account.move", "Invoice")], "Document", index=True, tracking=True
    )
    date_end = fields.Date("Valid Until", tracking=True)
    amount_max = fields.Monetary(
        "Up to an Exposure of",
        tracking=True,
        help="The exception applies while the exposure stays below it. 0 = any.",
    )
    reason = fields.Text(required=True, tracking=True)
    granted_by_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    active = fields.Boolean(default=True, tracking=True)
    is_valid = fields.Boolean("Valid", compute="_compute_is_valid", search="_search_is_valid")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("active", "date_end")
    @api.depends_context("date")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for exception in self:
            exception.is_valid = exception.active and (not exception.date_end or exception.date_end >= today)

    def _search_is_valid(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        valid = [
            "&",
            ("active", "=", True),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", fields.Date.context_today(self)),
        ]
        return valid if (operator == "=") == bool(value) else ["!", *valid]

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("scope", "document_ref", "date_end", "amount_max")
    def _check_scope(self):
        for exception in self:
            if exception.scope == "document" and not exception.document_ref:
                raise ValidationError(self.env._("An exception for one document must name that document."))
            if exception.scope == "partner" and not exception.date_end:
                raise ValidationError(self.env._("An exception for a customer needs an end date."))
            if exception.amount_max < 0:
                raise ValidationError(self.env._("The maximum exposure of an exception cannot be negative."))

    @api.constrains("date_end")
    def _check_date_end(self):
        today = fields.Date.context_today(self)
        for exception in self:
            if exception.active and exception.date_end and exception.date_end < today:
                raise ValidationError(
                    self.env._(
                        "The end date of the credit exception (%(date)s) has already passed: choose today "
                        "or a later date.",
                        date=format_date(self.env, exception.date_end),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        for exception in exceptions:
            exception._log_grant()
        self.env["recouvrement.credit.position"]._mark_for_refresh(exceptions.partner_id)
        return exceptions

    def write(self, vals):
        result = super().write(vals)
        self.env["recouvrement.credit.position"]._mark_for_refresh(self.partner_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Credit exceptions are an audit log: revoke them instead of deleting them.")
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_valid(self, partners, companies):
        """The exceptions valid today of the commercial PARTNERS in COMPANIES, newest first, in one
        query (none when there are no partners)."""
        if not partners:
            return self.browse()
        return self.search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "in", companies.ids),
                ("is_valid", "=", True),
            ]
        )

    def _select_covering(self, partner, company, document, exposure):
        """Among these valid exceptions, the one that lets DOCUMENT through for PARTNER in COMPANY at
        EXPOSURE, if any: one for the document, or one for the customer up to that exposure."""
        for exception in self:
            if exception.partner_id != partner.commercial_partner_id or exception.company_id != company:
                continue
            if exception.scope == "document":
                if exception.document_ref == document:
                    return exception
            elif (
                not exception.amount_max
                or exception.currency_id.compare_amounts(exposure, exception.amount_max) <= 0
            ):
                return exception
        return self.browse()

    def _log_grant(self):
        """Who, when, why, how much: on the exception, the customer and the document."""
        self.ensure_one()
        details = [
            self.env._(
                "Credit exception granted by %(user)s: %(reason)s",
                user=self.granted_by_id.name,
                reason=self.reason,
            )
        ]
        if self.scope == "partner":
            details.append(self.env._("Valid until %(date)s.", date=format_date(self.env, self.date_end)))
        if self.amount_max:
            details.append(
                self.env._(
                    "Up to an exposure of %(amount)s.",
                    amount=format_amount(self.env, self.amount_max, self.currency_id),
                )
            )
        body = Markup("<br/>").join(details)
        for record in (self, self.partner_id, self.document_ref):
            if record:
                # credit managers may not write customers, invoices or deliveries: logged there all the same
                record.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_revoke(self):
        for exception in self.filtered("active"):
            exception.active = False
            # credit managers may not write customers: the revocation is logged on them all the same
            exception.partner_id.sudo().message_post(
                body=self.env._("Credit exception revoked by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True
