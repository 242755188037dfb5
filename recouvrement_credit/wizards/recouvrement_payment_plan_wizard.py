from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.recouvrement_receivable_items_mixin import (
    OPEN_ITEMS_DOMAIN,
    TO_COLLECT_DOMAIN,
    item_residual,
    items_currency,
)


class RecouvrementPaymentPlanWizard(models.TransientModel):
    """Create a payment plan (échéancier) from overdue invoices or from a customer: the items' residual
    split into N instalments at a regular interval, the last one absorbing the rounding. The plan is
    created as a draft, to adjust before confirming it."""

    _name = "recouvrement.payment.plan.wizard"
    _description = "Create a payment plan"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Items",
        domain=OPEN_ITEMS_DOMAIN,
    )
    amount_total = fields.Monetary("Total", compute="_compute_amount_total")
    instalment_count = fields.Integer("Instalments", required=True, default=3)
    date_first = fields.Date(
        "First Instalment", required=True, default=lambda self: fields.Date.context_today(self)
    )
    interval = fields.Selection(
        [("month", "Monthly"), ("week", "Weekly"), ("days", "Every N Days")], required=True, default="month"
    )
    interval_days = fields.Integer("Every (Days)", default=30)

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("move_line_ids", "company_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = items_currency(wizard.move_line_ids, wizard.company_id)

    @api.depends("move_line_ids", "currency_id")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = wizard.currency_id.round(
                sum(item_residual(line, wizard.currency_id) for line in wizard.move_line_ids)
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        lines = self.env["account.move.line"]
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            moves = self.env["account.move"].browse(context["active_ids"])
            if len(moves.commercial_partner_id) != 1 or len(moves.company_id) != 1:
                raise UserError(self.env._("Select the invoices of one customer in one company."))
            lines = moves.line_ids.filtered_domain([*lines._get_open_receivable_domain(), *TO_COLLECT_DOMAIN])
            values.update(partner_id=moves.commercial_partner_id.id, company_id=moves.company_id.id)
        elif context.get("active_model") == "res.partner" and context.get("active_id"):
            partner = self.env["res.partner"].browse(context["active_id"]).commercial_partner_id
            domain = self.env["recouvrement.payment.plan"]._get_open_items_domain(partner, self.env.company)
            lines = lines.search(domain)
            values.update(partner_id=partner.id, company_id=self.env.company.id)
        if lines:
            values["move_line_ids"] = [Command.set(lines.ids)]
        return values

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_dates(self):
        """The N instalment dates, from the first one at the chosen interval."""
        self.ensure_one()
        if self.interval == "month":
            step = relativedelta(months=1)
        elif self.interval == "week":
            step = relativedelta(weeks=1)
        else:
            step = relativedelta(days=self.interval_days)
        return [self.date_first + step * index for index in range(self.instalment_count)]

    def _get_amounts(self):
        """The total split in N equal rounded parts; the last one absorbs the rounding, so that the
        instalments add up to exactly the total."""
        self.ensure_one()
        part = self.currency_id.round(self.amount_total / self.instalment_count)
        amounts = [part] * (self.instalment_count - 1)
        return [*amounts, self.currency_id.round(self.amount_total - sum(amounts))]

    def _prepare_plan_values(self):
        """Values of the draft plan. Can be inherited."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "move_line_ids": [Command.set(self.move_line_ids.ids)],
            "date_start": min(fields.Date.context_today(self), self.date_first),
            "instalment_ids": [
                Command.create({"sequence": index, "date": date, "amount": amount})
                for index, (date, amount) in enumerate(
                    zip(self._get_dates(), self._get_amounts(), strict=True)
                )
            ],
        }

    def _check_input(self):
        self.ensure_one()
        if not self.move_line_ids:
            raise UserError(self.env._("Choose the items to pay in instalments."))
        if self.instalment_count < 1:
            raise UserError(self.env._("A payment plan needs at least one instalment."))
        if self.interval == "days" and self.interval_days < 1:
            raise UserError(self.env._("The interval between instalments must be at least one day."))
        if self.date_first < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The first instalment (%(date)s) is already past: choose today or a later date.",
                    date=format_date(self.env, self.date_first),
                )
            )
        if self.currency_id.compare_amounts(self.amount_total, 0) <= 0:
            raise UserError(self.env._("Nothing is left to pay on these items."))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_create_plan(self):
        """Create the draft plan and open it."""
        self._check_input()
        plan = self.env["recouvrement.payment.plan"].create(self._prepare_plan_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "recouvrement.payment.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
