from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount


class RecouvrementDispute(models.Model):
    """A customer's dispute (litige) on a posted invoice. While it is open, the dunning run leaves the
    invoice's items alone; once rejected, dunning resumes where it stopped (the items' level is
    untouched). Resolved, often by a credit note, or rejected, with a reason; never deleted."""

    _name = "recouvrement.dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Invoice dispute"
    _order = "date_opened desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The part of the invoice the customer contests; by default what is left to pay.",
    )
    category = fields.Selection(
        [
            ("price", "Price"),
            ("quantity", "Quantity"),
            ("quality", "Quality"),
            ("not_received", "Not Received"),
            ("already_paid", "Already Paid"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", "Owner", default=lambda self: self.env.user, tracking=True, check_company=True
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("rejected", "Rejected")],
        required=True,
        default="open",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    resolution = fields.Selection(
        [("credit_note", "Credit Note"), ("rejected", "Rejected"), ("other", "Other")],
        tracking=True,
        copy=False,
    )
    resolution_note = fields.Text(copy=False, help="How the dispute was settled, or why it was rejected.")
    credit_note_id = fields.Many2one(
        "account.move",
        check_company=True,
        copy=False,
        tracking=True,
        domain="[('move_type', '=', 'out_refund'), ('commercial_partner_id', '=', partner_id)]",
    )
    date_opened = fields.Date("Opened On", required=True, default=fields.Date.context_today, copy=False)
    date_closed = fields.Date("Closed On", readonly=True, copy=False)
    description = fields.Html(help="What the customer contests.")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("move_id")
    def _compute_amount_disputed(self):
        for dispute in self:
            dispute.amount_disputed = dispute.move_id.amount_residual or dispute.move_id.amount_total

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("move_id", "amount_disputed")
    def _check_amount_disputed(self):
        for dispute in self:
            move = dispute.move_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._("Only posted customer invoices can be disputed."))
            if (
                dispute.currency_id.compare_amounts(dispute.amount_disputed, 0) <= 0
                or dispute.currency_id.compare_amounts(dispute.amount_disputed, move.amount_total) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed amount must be positive and at most the invoice total (%(total)s).",
                        total=format_amount(self.env, move.amount_total, dispute.currency_id),
                    )
                )

    @api.constrains("move_id")
    def _check_move_not_paid(self):
        for dispute in self:
            move = dispute.move_id
            if (
                dispute.state == "open"
                and move.state == "posted"
                and move.currency_id.is_zero(move.amount_residual)
            ):
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s is fully paid: there is nothing left to collect. A claim on "
                        "a paid invoice is a refund request: issue a credit note instead of a dispute.",
                        invoice=move.name,
                    )
                )

    @api.constrains("move_id", "state")
    def _check_one_open_per_invoice(self):
        open_disputes = self.filtered(lambda d: d.state == "open")
        if not open_disputes:
            return
        groups = self._read_group(
            [("move_id", "in", open_disputes.move_id.ids), ("state", "=", "open")],
            ["move_id"],
            ["__count"],
        )
        for move, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._("Invoice %(invoice)s already has an open dispute.", invoice=move.name)
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/" and vals.get("move_id"):
                company = self.env["account.move"].browse(vals["move_id"]).company_id
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("recouvrement.dispute")
                )
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute._log_on_invoice(
                self.env._(
                    "Dispute %(dispute)s opened (%(category)s) on %(amount)s.",
                    dispute=dispute._get_html_link(title=dispute.name),
                    category=dispute._get_category_label(),
                    amount=format_amount(self.env, dispute.amount_disputed, dispute.currency_id),
                )
            )
        self.env["recouvrement.credit.position"]._mark_for_refresh(disputes.partner_id)
        return disputes

    def write(self, vals):
        partners = self.partner_id
        result = super().write(vals)
        if {"state", "move_id"} & set(vals):
            self.env["recouvrement.credit.position"]._mark_for_refresh(partners | self.partner_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Disputes are kept as a record: close them instead of deleting them."))

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _close(self, state, resolution):
        """Close open disputes as STATE with RESOLUTION, and say so on their invoices."""
        for dispute in self:
            if dispute.state != "open":
                raise UserError(self.env._("Dispute %(dispute)s is already closed.", dispute=dispute.name))
        self.write({"state": state, "resolution": resolution, "date_closed": fields.Date.context_today(self)})
        for dispute in self:
            outcome = dict(dispute._fields["state"]._description_selection(self.env))[state]
            body = self.env._(
                "Dispute %(dispute)s closed: %(outcome)s.",
                dispute=dispute._get_html_link(title=dispute.name),
                outcome=outcome,
            )
            if dispute.resolution_note:
                body = Markup("%s<br/>%s") % (body, dispute.resolution_note)
            dispute._log_on_invoice(body)

    def _resolve_by_credit_note(self, credit_note):
        """The credit note settles the dispute: link it and close the dispute as resolved."""
        self.credit_note_id = credit_note
        self._close("resolved", "credit_note")

    def _log_on_invoice(self, body):
        """Invoices are written by accountants only: collectors log on them as the system would."""
        self.ensure_one()
        # collectors may not write invoices, yet the invoice's chatter tells the dispute
        self.move_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _get_category_label(self):
        return dict(self._fields["category"]._description_selection(self.env)).get(self.category, "")

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_resolve(self):
        """Resolved in the customer's favour: by a credit note (linked first) or otherwise (explained)."""
        for dispute in self:
            if dispute.resolution not in ("credit_note", "other"):
                raise UserError(
                    self.env._("Choose how dispute %(dispute)s was resolved.", dispute=dispute.name)
                )
            if dispute.resolution == "credit_note" and not dispute.credit_note_id:
                raise UserError(
                    self.env._(
                        "Link the credit note that resolves dispute %(dispute)s.", dispute=dispute.name
                    )
                )
            if dispute.resolution == "other" and not dispute.resolution_note:
                raise UserError(
                    self.env._("Explain how dispute %(dispute)s was resolved.", dispute=dispute.name)
                )
            dispute._close("resolved", dispute.resolution)
        return True

    def action_reject(self):
        """The claim is unfounded: dunning resumes on the invoice where it stopped."""
        for dispute in self:
            if not dispute.resolution_note:
                raise UserError(
                    self.env._("Give the reason for rejecting dispute %(dispute)s.", dispute=dispute.name)
                )
        self._close("rejected", "rejected")
        return True

    def action_create_credit_note(self):
        """Open the standard credit note wizard on the invoice; the credit note it creates resolves
        the dispute (see account.move.reversal)."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(self.env._("Dispute %(dispute)s is already closed.", dispute=self.name))
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_view_account_move_reversal")
        action["context"] = {
            "active_model": "account.move",
            "active_ids": self.move_id.ids,
            "recouvrement_dispute_id": self.id,
            "default_reason": self.env._("Dispute %(dispute)s", dispute=self.name),
        }
        return action
