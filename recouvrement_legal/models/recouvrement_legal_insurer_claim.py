"""The credit-insurer claim of a case (a procedure of kind *insurer*): notified within the policy's
delay after the due date (else the cover is lost), then indemnified or refused. The indemnity is
booked on the insurer against the customer's receivable (the insurer is subrogated in our rights
for it) and counts as recovered on the case."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class RecouvrementLegalProcedure(models.Model):
    _inherit = "recouvrement.legal.procedure"

    insurer_id = fields.Many2one(
        "res.partner",
        "Credit Insurer",
        compute="_compute_insurer_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    insurer_policy = fields.Char(
        "Policy", compute="_compute_insurer_id", store=True, readonly=False, precompute=True
    )
    insurer_claim_reference = fields.Char("Claim Reference")
    amount_insurer_claimed = fields.Monetary("Amount Notified")
    amount_indemnity = fields.Monetary(
        "Indemnity", help="What the insurer pays (usually its share of the debt)."
    )
    date_indemnity = fields.Date("Indemnified On")
    indemnity_move_id = fields.Many2one("account.move", "Indemnity Entry", readonly=True, copy=False)
    insurer_refusal_reason = fields.Char("Refusal Reason")

    @api.depends("case_id.partner_id", "case_id.company_id")
    def _compute_insurer_id(self):
        for procedure in self:
            if procedure.kind == "insurer" and not procedure.insurer_id:
                partner = procedure.case_id.partner_id.with_company(procedure.case_id.company_id)
                procedure.insurer_id = partner.credit_insurer_id
                procedure.insurer_policy = partner.credit_insurance_policy
            elif not procedure.insurer_id:
                procedure.insurer_id = False
                procedure.insurer_policy = False

    @api.constrains("amount_indemnity", "amount_insurer_claimed")
    def _check_insurer_amounts(self):
        for procedure in self:
            if procedure.amount_indemnity < 0 or procedure.amount_insurer_claimed < 0:
                raise ValidationError(self.env._("The amounts of an insurer claim cannot be negative."))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_insurer_file(self):
        """The claim is notified to the insurer (today unless a date was entered): the notification
        deadline is met."""
        for procedure in self:
            procedure._check_insurer_kind()
            procedure.write(
                {
                    "date_filed": procedure.date_filed or fields.Date.context_today(self),
                    "insurer_state": "filed",
                    "amount_insurer_claimed": procedure.amount_insurer_claimed
                    or procedure.case_id.amount_principal,
                    **procedure._get_step_vals(2),
                }
            )
        return True

    def action_insurer_indemnify(self):
        """Book the indemnity entered and close the claim as indemnified."""
        for procedure in self:
            procedure._check_insurer_kind()
            procedure._book_insurer_indemnity()
            procedure.write(
                {"insurer_state": "indemnified", "state": "succeeded", **procedure._get_step_vals(3)}
            )
        return True

    def action_insurer_refuse(self):
        for procedure in self:
            procedure._check_insurer_kind()
            if not procedure.insurer_refusal_reason:
                raise UserError(self.env._("Enter the reason the insurer gave for refusing the claim."))
            procedure.write({"insurer_state": "refused", "state": "failed", **procedure._get_step_vals(4)})
            procedure.case_id.message_post(
                body=self.env._(
                    "The credit insurer refused the claim: %(reason)s",
                    reason=procedure.insurer_refusal_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _book_insurer_indemnity(self):
        """Insurer receivable (467100 by default) / the customer's receivable, for the indemnity."""
        self.ensure_one()
        if self.insurer_state != "filed":
            raise UserError(self.env._("The claim must be filed with the insurer before it is indemnified."))
        if self.indemnity_move_id:
            raise UserError(self.env._("The indemnity of this claim is already booked."))
        if not self.amount_indemnity:
            raise UserError(self.env._("Enter the indemnity the insurer pays."))
        case = self.case_id
        move = case._book_third_party_receipt(
            self.amount_indemnity,
            case.company_id._get_legal_account("legal_insurer_account_id"),
            self.insurer_id,
            self.env._("Credit-insurer indemnity – %(case)s", case=case.name),
            self.date_indemnity or fields.Date.context_today(self),
        )
        self.write({"indemnity_move_id": move.id, "date_indemnity": move.date})
        case.message_post(
            body=self.env._(
                "Credit-insurer indemnity of %(amount)s booked.",
                amount=case._format_amount(self.amount_indemnity),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return move

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _check_insurer_kind(self):
        if self.kind != "insurer":
            raise UserError(self.env._("%(procedure)s is not a credit-insurer claim.", procedure=self.name))

    def _get_step_vals(self, position):
        """The step at POSITION (1-based) of the procedure's type, when it has one."""
        steps = self.type_id.step_ids
        return {"step_id": steps[position - 1].id} if len(steps) >= position else {}
