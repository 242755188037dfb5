from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from .recouvrement_receivable_items_mixin import OPEN_ITEMS_DOMAIN


class RecouvrementPaymentPlan(models.Model):
    """A payment plan (échéancier) agreed with a customer: open items paid in dated instalments.
    While it is active the dunning run leaves the items alone; a missed instalment (past its date
    plus the grace days) breaks it, and dunning resumes on the whole balance.

    Payments are not matched to instalments one by one: what the items' residual lost since the
    plan was confirmed is paid, and covers the instalments in date order."""

    _name = "recouvrement.payment.plan"
    _inherit = ["recouvrement.receivable.items.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Payment plan"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _items_relation = ("recouvrement_payment_plan_move_line_rel", "plan_id", "move_line_id")

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    move_line_ids = fields.Many2many(
        "account.move.line",
        "recouvrement_payment_plan_move_line_rel",
        "plan_id",
        "move_line_id",
        "Items",
        check_company=True,
        domain=OPEN_ITEMS_DOMAIN,
    )
    instalment_ids = fields.One2many(
        "recouvrement.payment.plan.instalment", "plan_id", "Instalments", copy=True
    )
    amount_total = fields.Monetary(
        "Total",
        readonly=True,
        copy=False,
        help="What was left to pay on the items when the plan was confirmed.",
    )
    amount_due = fields.Monetary(
        "Due on the Items", compute="_compute_amounts", help="What is left to pay on the items now."
    )
    amount_scheduled = fields.Monetary("Scheduled", compute="_compute_amount_scheduled")
    amount_paid = fields.Monetary("Paid", compute="_compute_amounts")
    amount_remaining = fields.Monetary("Remaining", compute="_compute_amounts")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("broken", "Broken"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    grace_days = fields.Integer(
        compute="_compute_grace_days",
        store=True,
        readonly=False,
        precompute=True,
        help="Days after an instalment's date before the plan counts as broken.",
    )
    date_start = fields.Date("Plan Date", required=True, default=fields.Date.context_today, tracking=True)
    date_broken = fields.Date("Broken On", readonly=True, copy=False)
    date_done = fields.Date("Completed On", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", "Collector", required=True, default=lambda self: self.env.user, check_company=True
    )
    notes = fields.Html()

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("company_id")
    def _compute_grace_days(self):
        for plan in self:
            plan.grace_days = plan.company_id.dunning_plan_grace_days

    @api.depends("instalment_ids.amount")
    def _compute_amount_scheduled(self):
        for plan in self:
            plan.amount_scheduled = sum(plan.instalment_ids.mapped("amount"))

    @api.depends("state", "amount_total", "move_line_ids.amount_residual")
    def _compute_amounts(self):
        residuals = self.filtered("id")._get_items_residuals()
        for plan in self:
            due = residuals.get(plan.id, 0.0) if plan.id else plan._items_residual_python()
            plan.amount_due = due
            plan.amount_paid = plan._get_amount_paid(due)
            plan.amount_remaining = plan.amount_total - plan.amount_paid if plan.state != "draft" else due

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("grace_days")
    def _check_grace_days(self):
        if any(plan.grace_days < 0 for plan in self):
            raise ValidationError(self.env._("Grace days cannot be negative."))

    def _check_schedule(self):
        """On confirmation: the instalments add up to exactly what is due on the items, never more,
        fall on or after the plan date and not before today, in strictly increasing dates."""
        today = fields.Date.context_today(self)
        for plan in self:
            currency = plan.currency_id
            due = plan._items_residual_python()
            instalments = plan.instalment_ids.sorted(lambda i: (i.sequence, i.date))
            if not plan.move_line_ids or not instalments or currency.is_zero(due):
                raise ValidationError(
                    self.env._("Payment plan %(plan)s needs open items and instalments.", plan=plan.name)
                )
            scheduled = sum(instalments.mapped("amount"))
            if currency.compare_amounts(scheduled, due) != 0:
                raise ValidationError(
                    self.env._(
                        "The instalments of %(plan)s total %(scheduled)s: they must add up to exactly "
                        "what is due on the items, %(due)s.",
                        plan=plan.name,
                        scheduled=format_amount(self.env, scheduled, currency),
                        due=format_amount(self.env, due, currency),
                    )
                )
            previous = None
            for instalment in instalments:
                if currency.compare_amounts(instalment.amount, 0) <= 0:
                    raise ValidationError(self.env._("Every instalment must be for a positive amount."))
                if instalment.date < plan.date_start or (previous and instalment.date <= previous):
                    raise ValidationError(
                        self.env._(
                            "Instalment dates must fall on or after the plan date (%(date)s), each after "
                            "the one before.",
                            date=format_date(self.env, plan.date_start),
                        )
                    )
                if instalment.date < today:
                    raise ValidationError(
                        self.env._(
                            "The instalment of %(date)s is already past: instalments must fall today or "
                            "later when the payment plan %(plan)s is confirmed.",
                            date=format_date(self.env, instalment.date),
                            plan=plan.name,
                        )
                    )
                previous = instalment.date
            others = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "=", "active"),
                    ("move_line_ids", "in", plan.move_line_ids.ids),
                ],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Some items are already in the active payment plan %(plan)s.", plan=others.name
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                sequence = self.env["ir.sequence"].with_company(company)
                vals["name"] = sequence.next_by_code("recouvrement.payment.plan") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft payment plans can be deleted: cancel the others instead."))

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_amount_paid(self, due):
        """Paid on the plan: how much the items' residual (DUE, now) lost since the confirmation."""
        self.ensure_one()
        if self.state == "draft":
            return 0.0
        return min(max(self.currency_id.round(self.amount_total - due), 0.0), self.amount_total)

    def _allocate(self, paid):
        """[(instalment, paid on it)] with PAID covering the instalments in date order."""
        self.ensure_one()
        allocation = []
        for instalment in self.instalment_ids.sorted(lambda i: (i.date or date.max, i.sequence)):
            covered = min(paid, instalment.amount)
            allocation.append((instalment, self.currency_id.round(covered)))
            paid -= covered
        return allocation

    @api.model
    def _update_states(self, today):
        """Settle the active plans as of TODAY; the dunning run calls it daily before it selects
        items (and a scheduled action of its own does too).

        - done: the items are paid (one SQL aggregate for all plans);
        - broken: an instalment is not fully paid TODAY past its date plus the grace days. Dunning
          resumes on the items; the plan's collector gets a to-do.
        Can be inherited."""
        plans = self._claim_to_settle([("state", "=", "active")])
        residuals = plans._get_items_residuals()
        done, broken = self.browse(), self.browse()
        for plan in plans:
            paid = plan._get_amount_paid(residuals.get(plan.id, 0.0))
            if plan.currency_id.compare_amounts(paid, plan.amount_total) >= 0:
                done |= plan
            elif any(
                plan.currency_id.compare_amounts(covered, instalment.amount) < 0
                and instalment.date + timedelta(days=plan.grace_days) < today
                for instalment, covered in plan._allocate(paid)
            ):
                broken |= plan
        done._finish(today)
        broken._break(today)

    def _finish(self, today=None):
        self.write({"state": "done", "date_done": today or fields.Date.context_today(self)})
        for plan in self._in_company_lang():
            plan.message_post(body=plan.env._("Payment plan completed: every instalment is paid."))

    def _break(self, today):
        self.write({"state": "broken", "date_broken": today})
        for plan in self._in_company_lang():
            body = plan.env._(
                "Payment plan %(plan)s broken: an instalment was missed. The whole balance is due again "
                "and dunning resumes.",
                plan=plan.name,
            )
            plan._notify_broken(
                today,
                body,
                plan.env._("Broken payment plan: call %(customer)s", customer=plan.partner_id.name),
            )

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_confirm(self):
        """The customer agreed: freeze the total and stop dunning on the items."""
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft payment plans can be confirmed."))
        self._check_schedule()
        for plan in self:
            plan.write({"state": "active", "amount_total": plan._items_residual_python()})
            plan.message_post(
                body=self.env._(
                    "Payment plan confirmed: %(total)s in %(count)s instalments.",
                    total=format_amount(self.env, plan.amount_total, plan.currency_id),
                    count=len(plan.instalment_ids),
                )
            )
        return True

    def action_cancel(self):
        if any(plan.state not in ("draft", "active") for plan in self):
            raise UserError(self.env._("Only draft or active payment plans can be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        if any(plan.state != "cancelled" for plan in self):
            raise UserError(self.env._("Only cancelled payment plans can be reset to draft."))
        self.write({"state": "draft", "amount_total": 0.0})
        return True
