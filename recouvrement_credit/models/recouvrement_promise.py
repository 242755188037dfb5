from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from .recouvrement_receivable_items_mixin import OPEN_ITEMS_DOMAIN

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("portal", "Portal"),
    ("meeting", "Meeting"),
    ("other", "Other"),
]


class RecouvrementPromise(models.Model):
    """A customer's promise to pay (promesse de règlement) some open items by a date. The dunning run
    leaves the items alone until the date plus the grace days; a promise not kept by then is broken,
    and the run escalates its items at once."""

    _name = "recouvrement.promise"
    _inherit = ["recouvrement.receivable.items.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Promise to pay"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True
    _items_relation = ("recouvrement_promise_move_line_rel", "promise_id", "move_line_id")

    move_line_ids = fields.Many2many(
        "account.move.line",
        "recouvrement_promise_move_line_rel",
        "promise_id",
        "move_line_id",
        "Items",
        check_company=True,
        domain=OPEN_ITEMS_DOMAIN,
    )
    date = fields.Date("Promised Payment Date", required=True, tracking=True)
    amount = fields.Monetary(
        "Promised Amount",
        compute="_compute_amount",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    amount_residual_start = fields.Monetary(
        "Due When Promised",
        compute="_compute_amount_residual_start",
        store=True,
        precompute=True,
        help="What was left to pay on the items when the promise was recorded: payments count from it.",
    )
    amount_paid = fields.Monetary("Paid Since", compute="_compute_amount_paid")
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    user_id = fields.Many2one(
        "res.users", "Recorded By", required=True, default=lambda self: self.env.user, check_company=True
    )
    grace_days = fields.Integer(
        compute="_compute_grace_days",
        store=True,
        readonly=False,
        precompute=True,
        help="Days after the promised date before the promise counts as broken.",
    )
    date_grace_end = fields.Date(
        "Covered Until",
        compute="_compute_date_grace_end",
        store=True,
        help="The promised date plus the grace days: the dunning leaves the items alone until then, "
        "and a promise not kept by then is broken.",
    )
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        required=True,
        default="open",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_broken = fields.Date("Broken On", readonly=True, copy=False)
    note = fields.Text()

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("move_line_ids", "currency_id")
    def _compute_amount(self):
        for promise in self:
            promise.amount = promise._items_residual_python()

    @api.depends("move_line_ids", "currency_id")
    def _compute_amount_residual_start(self):
        for promise in self:
            promise.amount_residual_start = promise._items_residual_python()

    @api.depends("company_id")
    def _compute_grace_days(self):
        for promise in self:
            promise.grace_days = promise.company_id.dunning_promise_grace_days

    @api.depends("date", "grace_days")
    def _compute_date_grace_end(self):
        for promise in self:
            promise.date_grace_end = promise.date and promise.date + timedelta(days=promise.grace_days)

    @api.depends("amount_residual_start", "move_line_ids.amount_residual")
    def _compute_amount_paid(self):
        residuals = self.filtered("id")._get_items_residuals()
        for promise in self:
            residual = residuals.get(promise.id, 0.0) if promise.id else promise.amount_residual_start
            promise.amount_paid = max(
                promise.currency_id.round(promise.amount_residual_start - residual), 0.0
            )

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("amount", "amount_residual_start")
    def _check_amount(self):
        for promise in self:
            currency = promise.currency_id
            if not promise.move_line_ids:
                raise ValidationError(self.env._("Choose the items the customer promises to pay."))
            if currency.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(self.env._("A promise to pay must be for a positive amount."))
            if currency.compare_amounts(promise.amount, promise.amount_residual_start) > 0:
                raise ValidationError(
                    self.env._(
                        "The promised amount cannot exceed what is left to pay on the items (%(due)s).",
                        due=format_amount(self.env, promise.amount_residual_start, currency),
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for promise in self:
            if promise.state == "open" and promise.date < today:
                raise ValidationError(self.env._("The promised payment date cannot be in the past."))

    @api.constrains("grace_days")
    def _check_grace_days(self):
        if any(promise.grace_days < 0 for promise in self):
            raise ValidationError(self.env._("Grace days cannot be negative."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            body = promise._describe()
            promise.message_post(body=body, subtype_xmlid="mail.mt_note")
            # collectors may not write on customers, yet the customer's chatter tells the promise
            promise.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
            # Invoices are written by accountants only: the promise logs on them as the system would.
            invoices = promise.move_line_ids.move_id.sudo()
            invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
        return promises

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Promises to pay are kept as a record: cancel them instead of deleting them.")
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _update_states(self, today):
        """Settle the open promises as of TODAY; the dunning run calls it daily before it selects
        items (and a scheduled action of its own does too).

        - kept: the items were paid, since the promise, at least the promised amount (their residual
          decreased by that much; one SQL aggregate for all promises);
        - broken: not kept and TODAY is past the promised date plus the grace days. date_broken is
          set to TODAY, which makes the run escalate the items at once; the customer's collector
          gets a to-do (see ``_get_collector``).
        Can be inherited."""
        promises = self._claim_to_settle([("state", "=", "open")])
        residuals = promises._get_items_residuals()
        kept = promises.filtered(
            lambda p: (
                p.currency_id.compare_amounts(p.amount_residual_start - residuals.get(p.id, 0.0), p.amount)
                >= 0
            )
        )
        kept._keep()
        broken = (promises - kept).filtered(lambda p: p.date_grace_end < today)
        broken._break(today)

    def _keep(self):
        self.write({"state": "kept"})
        for promise in self._in_company_lang():
            promise.message_post(
                body=promise.env._("Promise kept: the customer paid."), subtype_xmlid="mail.mt_note"
            )

    def _break(self, today):
        self.write({"state": "broken", "date_broken": today})
        for promise in self._in_company_lang():
            body = promise.env._(
                "Promise to pay broken: %(amount)s promised for %(date)s not received. Dunning resumes.",
                amount=format_amount(promise.env, promise.amount, promise.currency_id),
                date=format_date(promise.env, promise.date),
            )
            promise._notify_broken(
                today,
                body,
                promise.env._("Broken promise to pay: call %(customer)s", customer=promise.partner_id.name),
            )

    def _describe(self):
        self.ensure_one()
        return self.env._(
            "Promise to pay %(amount)s by %(date)s recorded (%(channel)s).",
            amount=format_amount(self.env, self.amount, self.currency_id),
            date=format_date(self.env, self.date),
            channel=dict(self._fields["channel"]._description_selection(self.env))[self.channel],
        )

    @api.model
    def _get_record_action(self, partner, company, lines):
        """The form to record a promise of PARTNER in COMPANY on LINES (by default all open items)."""
        if not lines:
            lines = self.env["account.move.line"].search(self._get_open_items_domain(partner, company))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Promise to Pay"),
            "res_model": "recouvrement.promise",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_company_id": company.id,
                "default_move_line_ids": lines.ids,
                "default_date": fields.Date.context_today(self),
            },
        }

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_cancel(self):
        if any(promise.state != "open" for promise in self):
            raise UserError(self.env._("Only open promises can be cancelled."))
        self.write({"state": "cancelled"})
        return True
