from odoo import api, fields, models

from .account_payment_term import legal_due_date_cap


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "recouvrement.credit.check.mixin"]
    _credit_document = "invoice"
    _credit_resume_method = "action_post"
    _credit_fields = ("partner_id", "company_id", "state", "move_type")

    exceeds_legal_cap = fields.Boolean(
        "Due Beyond the Legal Cap",
        compute="_compute_exceeds_legal_cap",
        help="This invoice falls due later than French law allows between businesses (L441-10).",
    )

    dunning_line_ids = fields.One2many("recouvrement.dunning.communication.line", "move_id", "Reminder Lines")
    dunning_communication_count = fields.Integer("Reminders", compute="_compute_dunning_communication_count")
    dispute_ids = fields.One2many(
        "recouvrement.dispute",
        "move_id",
        "Disputes",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
    )
    dispute_count = fields.Integer(
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        compute="_compute_dispute_count",
    )
    has_open_dispute = fields.Boolean(
        "Disputed",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        compute="_compute_dispute_count",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    def _compute_dunning_communication_count(self):
        counts = dict(
            self.env["recouvrement.dunning.communication.line"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["communication_id:count_distinct"]
            )
        )
        for move in self:
            move.dunning_communication_count = counts.get(move, 0)

    @api.depends("dispute_ids.state")
    def _compute_dispute_count(self):
        groups = self.env["recouvrement.dispute"]._read_group(
            [("move_id", "in", self.ids)], ["move_id", "state"], ["__count"]
        )
        counts, open_moves = {}, set()
        for move, state, count in groups:
            counts[move.id] = counts.get(move.id, 0) + count
            if state == "open":
                open_moves.add(move.id)
        for move in self:
            move.dispute_count = counts.get(move.id, 0)
            move.has_open_dispute = move.id in open_moves

    @api.depends(
        "invoice_date", "invoice_date_due", "move_type", "commercial_partner_id.is_company", "company_id"
    )
    def _compute_exceeds_legal_cap(self):
        for move in self:
            cap = (
                move.move_type == "out_invoice"
                and move.commercial_partner_id.is_company
                and legal_due_date_cap(move.invoice_date, move.company_id)
            )
            move.exceeds_legal_cap = bool(cap and move.invoice_date_due and move.invoice_date_due > cap)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._mark_credit_refresh()
        return moves

    def write(self, vals):
        result = super().write(vals)
        self._mark_credit_refresh()
        return result

    def unlink(self):
        self._mark_credit_refresh()
        return super().unlink()

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _credit_needs_check(self):
        # A penalty invoice charges a late customer for being late: credit blocks never hold it.
        return self.move_type == "out_invoice" and self.state == "draft" and not self.is_late_payment_invoice

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _mark_credit_refresh(self):
        """Customer invoices and credit notes, and entries with a partner (payments), change exposures."""
        moves = self.filtered(
            lambda m: m.partner_id and (m.is_sale_document(include_receipts=True) or m.move_type == "entry")
        )
        self.env["recouvrement.credit.position"]._mark_for_refresh(moves.partner_id)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_dunning_communications(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.recouvrement_dunning_communication_action"
        )
        action["domain"] = [("line_ids.move_id", "in", self.ids)]
        action["context"] = {}
        return action

    def action_post(self):
        return self._check_credit() or super().action_post()

    def action_open_dispute(self):
        """Open a dispute (litige) on this invoice."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open a Dispute"),
            "res_model": "recouvrement.dispute",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_move_id": self.id},
        }

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("recouvrement_credit.recouvrement_dispute_action")
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        if self.dispute_count == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.dispute_ids.id)
        return action

    def action_record_promise(self):
        """Record a promise to pay (promesse de règlement) for this invoice's open items."""
        self.ensure_one()
        domain = self.env["recouvrement.promise"]._get_open_items_domain(
            self.commercial_partner_id, self.company_id
        )
        lines = self.line_ids.filtered_domain(domain)
        return self.env["recouvrement.promise"]._get_record_action(
            self.commercial_partner_id, self.company_id, lines
        )
