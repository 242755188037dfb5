from odoo import api, fields, models
from odoo.exceptions import UserError


class RecouvrementPaymentPlanInstalment(models.Model):
    """One dated instalment (échéance) of a payment plan; editable while the plan is a draft."""

    _name = "recouvrement.payment.plan.instalment"
    _description = "Payment plan instalment"
    _order = "plan_id, sequence, date, id"
    _check_company_auto = True

    plan_id = fields.Many2one("recouvrement.payment.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    date = fields.Date("Due Date", required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary("Paid", compute="_compute_payment")
    state = fields.Selection(
        [("pending", "Pending"), ("paid", "Paid"), ("late", "Late")], compute="_compute_payment"
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("plan_id.amount_paid", "amount", "date")
    @api.depends_context("date")
    def _compute_payment(self):
        today = fields.Date.context_today(self)
        for plan in self.plan_id.filtered(lambda plan: plan.state != "draft"):
            for instalment, covered in plan._allocate(plan.amount_paid):
                if instalment not in self:
                    continue
                instalment.amount_paid = covered
                if plan.currency_id.compare_amounts(covered, instalment.amount) >= 0:
                    instalment.state = "paid"
                else:
                    instalment.state = "late" if instalment.date < today else "pending"
        for instalment in self.filtered(lambda i: i.plan_id.state in (False, "draft")):
            instalment.amount_paid = 0.0
            instalment.state = "pending"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        instalments = super().create(vals_list)
        instalments._check_plan_draft()
        return instalments

    def write(self, vals):
        self._check_plan_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        self._check_plan_draft()

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _check_plan_draft(self):
        if any(instalment.plan_id.state != "draft" for instalment in self):
            raise UserError(self.env._("Instalments can only be changed while the payment plan is a draft."))
