from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from .account_payment_term import legal_due_date_cap

# Why the dunning leaves an invoice alone, strongest first (what the run's exclusions read).
DUNNING_PAUSES = [
    ("dispute", "Dispute"),
    ("plan", "Payment Plan"),
    ("promise", "Promise to Pay"),
    ("exclusion", "Exclusion"),
]


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

    # What a collector reads on the unpaid invoices and on an invoice's form (computed for display;
    # in sudo: anyone who sees the invoice may see why its dunning is paused).
    dunning_collector_id = fields.Many2one(
        "res.users", "Collector", compute="_compute_dunning_collector_id", compute_sudo=True
    )
    dunning_days_late = fields.Integer("Days Late", compute="_compute_dunning_days_late")
    dunning_level_reached_id = fields.Many2one(
        "recouvrement.dunning.level",
        "Level Reached",
        compute="_compute_dunning_level_reached_id",
        compute_sudo=True,
        help="The highest dunning level its items have reached.",
    )
    dunning_pause = fields.Selection(
        DUNNING_PAUSES,
        "Dunning Paused By",
        compute="_compute_dunning_pause",
        compute_sudo=True,
        help="Why the dunning runs leave this invoice alone today.",
    )
    dunning_pause_text = fields.Char("Dunning Paused", compute="_compute_dunning_pause", compute_sudo=True)
    promise_count = fields.Integer("Promises to Pay", compute="_compute_dunning_pause", compute_sudo=True)

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    def _compute_partner_credit_warning(self):
        """Stock Odoo's credit-limit warning gives way to our banner when ours shows: one message."""
        result = super()._compute_partner_credit_warning()
        for move in self.filtered("partner_credit_warning"):
            if move.credit_status != "ok":
                move.partner_credit_warning = ""
        return result

    @api.depends("commercial_partner_id", "company_id")
    def _compute_dunning_collector_id(self):
        for move in self:
            move.dunning_collector_id = move.commercial_partner_id.with_company(
                move.company_id
            ).dunning_collector_id

    @api.depends("invoice_date_due", "payment_state", "state")
    @api.depends_context("tz")
    def _compute_dunning_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            unpaid = move.state == "posted" and move.payment_state in ("not_paid", "partial")
            due = move.invoice_date_due
            move.dunning_days_late = max((today - due).days, 0) if unpaid and due else 0

    @api.depends("line_ids.dunning_level_id")
    def _compute_dunning_level_reached_id(self):
        for move in self:
            levels = move.line_ids.dunning_level_id
            move.dunning_level_reached_id = levels.sorted("day_offset")[-1:] if levels else False

    @api.depends("line_ids", "commercial_partner_id", "company_id")
    def _compute_dunning_pause(self):
        """One search per kind of pause for the whole batch, then the strongest one per invoice."""
        pauses = self._get_dunning_pauses()
        promises = self._get_promises()
        for move in self:
            kind, record = pauses.get(move.id, (False, None))
            move.dunning_pause = kind
            move.dunning_pause_text = move._describe_dunning_pause(kind, record) if kind else False
            move.promise_count = len(promises.get(move.id, ()))

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

    def _get_promises(self):
        """{invoice id: its promises to pay, any state}: one search for the batch."""
        ids = [move_id for move_id in self.ids if move_id]
        result = {}
        if not ids:
            return result
        promises = self.env["recouvrement.promise"].search([("move_line_ids.move_id", "in", ids)])
        for promise in promises:
            for move in promise.move_line_ids.move_id:
                result.setdefault(move.id, self.env["recouvrement.promise"])
                result[move.id] |= promise
        return result

    def _get_dunning_pauses(self):
        """{invoice id: (kind, record)}: the strongest reason (DUNNING_PAUSES order) why the dunning
        leaves each invoice alone today, as the run's exclusions see it. Can be inherited."""
        moves = self.filtered(lambda m: m.id and m.move_type == "out_invoice" and m.state == "posted")
        if not moves:
            return {}
        today = fields.Date.context_today(self)
        found = {kind: {} for kind, _label in DUNNING_PAUSES}
        disputes = self.env["recouvrement.dispute"].search(
            [("move_id", "in", moves.ids), ("state", "=", "open")]
        )
        for dispute in disputes:
            found["dispute"].setdefault(dispute.move_id.id, dispute)
        plans = self.env["recouvrement.payment.plan"].search(
            [("move_line_ids.move_id", "in", moves.ids), ("state", "=", "active")]
        )
        for plan in plans:
            for move in plan.move_line_ids.move_id:
                found["plan"].setdefault(move.id, plan)
        promises = self.env["recouvrement.promise"].search(
            [("move_line_ids.move_id", "in", moves.ids), ("state", "=", "open")]
        )
        for promise in promises.filtered(lambda p: p.date + timedelta(days=p.grace_days) >= today):
            for move in promise.move_line_ids.move_id:
                found["promise"].setdefault(move.id, promise)
        exclusions = self.env["recouvrement.dunning.exclusion"].search(
            [
                ("partner_id", "in", moves.commercial_partner_id.ids),
                ("company_id", "in", moves.company_id.ids),
                "|",
                ("move_id", "=", False),
                ("move_id", "in", moves.ids),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ]
        )
        for move in moves:
            for exclusion in exclusions:
                if (
                    exclusion.partner_id == move.commercial_partner_id
                    and exclusion.company_id == move.company_id
                    and exclusion.move_id in (move, self.env["account.move"])
                ):
                    found["exclusion"].setdefault(move.id, exclusion)
        result = {}
        for kind, _label in reversed(DUNNING_PAUSES):
            for move_id, record in found[kind].items():
                result[move_id] = (kind, record)
        return result

    def _describe_dunning_pause(self, kind, record):
        """The banner's sentence for a pause of KIND by RECORD, in the reader's language."""
        _ = self.env._
        if kind == "dispute":
            return _("Dunning paused: dispute %(dispute)s is open.", dispute=record.name)
        if kind == "plan":
            return _("Dunning paused: the invoice is part of payment plan %(plan)s.", plan=record.name)
        if kind == "promise":
            return _(
                "Dunning paused: the customer promised to pay %(amount)s by %(date)s.",
                amount=format_amount(self.env, record.amount, record.currency_id),
                date=format_date(self.env, record.date),
            )
        if record.date_end:
            return _(
                "Dunning paused: excluded until %(date)s (%(reason)s).",
                date=format_date(self.env, record.date_end),
                reason=record.reason,
            )
        return _("Dunning paused: excluded until further notice (%(reason)s).", reason=record.reason)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_dunning_pause(self):
        """Open what pauses the dunning of this invoice (dispute, plan, promise or exclusion)."""
        self.ensure_one()
        kind, record = self._get_dunning_pauses().get(self.id, (False, None))
        if not kind:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_promises(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("recouvrement_credit.recouvrement_promise_action")
        action["domain"] = [("move_line_ids.move_id", "=", self.id)]
        action["context"] = {}
        return action

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
            "context": {"default_move_id": self.id, "default_category": False},
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
