"""A legal case (dossier contentieux): the receivable items of one customer in one company handed
over to legal collection, their amounts frozen at opening and followed live, the procedures run,
their deadlines, the parties, the costs and how the case ended."""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

CLOSE_REASONS = [
    ("paid", "Paid"),
    ("settled", "Settled (agreement)"),
    ("judgment", "Judgment enforced"),
    ("written_off", "Written off"),
    ("abandoned", "Abandoned"),
]


class RecouvrementLegalCase(models.Model):
    _name = "recouvrement.legal.case"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "recouvrement.legal.case.evidence",
        "recouvrement.legal.case.accounting",
        "recouvrement.legal.case.receipt",
    ]
    _description = "Legal case"
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        help="Follows the case and receives its deadlines as activities.",
    )
    stage_id = fields.Many2one(
        "recouvrement.legal.stage",
        tracking=True,
        index=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["recouvrement.legal.stage"].search(
            [("is_closed", "=", False)], limit=1
        ),
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, readonly=True, tracking=True
    )
    date_open = fields.Date("Opened On", required=True, default=fields.Date.context_today, tracking=True)
    date_close = fields.Date("Closed On", readonly=True, tracking=True)
    close_reason = fields.Selection(CLOSE_REASONS, readonly=True, tracking=True)
    close_note = fields.Text("Closing Note", readonly=True)
    communication_id = fields.Many2one(
        "recouvrement.dunning.communication",
        "From Reminder",
        readonly=True,
        index="btree_not_null",
        help="The reminder whose level proposed the legal handover.",
    )
    description = fields.Html()

    line_ids = fields.One2many("recouvrement.legal.case.line", "case_id", "Items")
    move_ids = fields.Many2many("account.move", compute="_compute_move_ids", string="Invoices")
    procedure_ids = fields.One2many("recouvrement.legal.procedure", "case_id", "Procedures")
    deadline_ids = fields.One2many("recouvrement.legal.deadline", "case_id", "Deadlines")
    party_ids = fields.One2many("recouvrement.legal.party", "case_id", "Parties")
    cost_ids = fields.One2many("recouvrement.legal.cost", "case_id", "Costs")
    next_deadline_date = fields.Date(compute="_compute_next_deadline_date", store=True)
    critical_deadline_warning = fields.Char(
        compute="_compute_critical_deadline_warning",
        help="A running deadline whose miss loses a right (e.g. the insurer's cover) is in alert or missed.",
    )
    has_enforceable_title = fields.Boolean(
        compute="_compute_has_enforceable_title",
        store=True,
        help="A procedure of the case gave an enforceable title.",
    )

    # Amounts (company currency)
    amount_opening = fields.Monetary("Claimed at Opening", compute="_compute_amounts", store=True)
    amount_principal = fields.Monetary("Principal Due", compute="_compute_amounts", store=True)
    amount_interest = fields.Monetary(
        "Late-Payment Interest", readonly=True, help="As of the last update (daily, or Update Amounts)."
    )
    amount_indemnity = fields.Monetary("Recovery Indemnity", readonly=True)
    amounts_date = fields.Date("Penalties Computed On", readonly=True)
    amount_costs = fields.Monetary("Total Costs", compute="_compute_costs", store=True)
    amount_costs_charged = fields.Monetary(
        "Costs Charged to the Debtor",
        compute="_compute_costs",
        store=True,
        help="Costs recoverable from the debtor or awarded by a decision (art. 695, 700 CPC).",
    )
    amount_insurer = fields.Monetary(
        "Insurer Indemnity",
        compute="_compute_amount_insurer",
        store=True,
        help="Booked from the credit insurer against the customer's receivable: part of the recovered.",
    )
    amount_recovered = fields.Monetary("Recovered", compute="_compute_amounts", store=True)
    amount_balance = fields.Monetary(
        "Balance",
        compute="_compute_balance",
        store=True,
        help="Principal, penalties and costs charged, still due.",
    )
    amount_net_recovery = fields.Monetary(
        "Net Recovery", compute="_compute_balance", store=True, help="Recovered minus the costs of the case."
    )
    recovery_rate = fields.Float(
        "Recovery Rate (%)", compute="_compute_balance", store=True, aggregator="avg"
    )
    cost_ratio = fields.Float("Cost Ratio (%)", compute="_compute_balance", store=True, aggregator="avg")

    _sql_constraints = [("name_company_uniq", "unique(name, company_id)", "Case references are unique.")]

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for case in self:
            case.move_ids = case.line_ids.move_id

    @api.depends("line_ids.amount_opening", "line_ids.amount_residual")
    def _compute_amounts(self):
        # Whatever settles the items is recovered: payments, the insurer's indemnity and the
        # agency's collections (both booked against the receivable)
        for case in self:
            opening = sum(case.line_ids.mapped("amount_opening"))
            principal = sum(case.line_ids.mapped("amount_residual"))
            case.amount_opening = opening
            case.amount_principal = principal
            case.amount_recovered = max(opening - principal, 0.0)

    @api.depends("procedure_ids.indemnity_move_id", "procedure_ids.amount_indemnity")
    def _compute_amount_insurer(self):
        for case in self:
            case.amount_insurer = sum(
                case.procedure_ids.filtered("indemnity_move_id").mapped("amount_indemnity")
            )

    @api.depends("cost_ids.amount", "cost_ids.bearer")
    def _compute_costs(self):
        for case in self:
            case.amount_costs = sum(case.cost_ids.mapped("amount"))
            case.amount_costs_charged = sum(
                case.cost_ids.filtered(lambda c: c.bearer in ("debtor", "awarded")).mapped("amount")
            )

    @api.depends(
        "amount_principal",
        "amount_interest",
        "amount_indemnity",
        "amount_costs",
        "amount_costs_charged",
        "amount_recovered",
        "amount_opening",
    )
    def _compute_balance(self):
        for case in self:
            case.amount_balance = case.currency_id.round(
                case.amount_principal
                + case.amount_interest
                + case.amount_indemnity
                + case.amount_costs_charged
            )
            case.amount_net_recovery = case.amount_recovered - case.amount_costs
            case.recovery_rate = (
                round(100.0 * case.amount_recovered / case.amount_opening, 1) if case.amount_opening else 0.0
            )
            case.cost_ratio = (
                round(100.0 * case.amount_costs / case.amount_recovered, 1) if case.amount_recovered else 0.0
            )

    @api.depends("deadline_ids.date_deadline", "deadline_ids.state")
    def _compute_next_deadline_date(self):
        for case in self:
            dates = [d.date_deadline for d in case.deadline_ids if d.state == "pending" and d.date_deadline]
            case.next_deadline_date = min(dates) if dates else False

    @api.depends("deadline_ids.state", "deadline_ids.date_alert", "deadline_ids.critical")
    @api.depends_context("date")
    def _compute_critical_deadline_warning(self):
        today = fields.Date.context_today(self)
        for case in self:
            at_stake = case.deadline_ids.filtered(
                lambda d: (
                    d.critical
                    and (
                        d.state == "missed"
                        or (d.state == "pending" and d.date_alert and d.date_alert <= today)
                    )
                )
            ).sorted("date_deadline")
            case.critical_deadline_warning = (
                " · ".join(deadline._get_activity_summary() for deadline in at_stake) if at_stake else False
            )

    @api.depends("procedure_ids.date_title")
    def _compute_has_enforceable_title(self):
        for case in self:
            case.has_enforceable_title = any(case.procedure_ids.mapped("date_title"))

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("recouvrement.legal.case") or "/"
        cases = super().create(vals_list)
        cases._check_items()
        cases._update_positions()
        return cases

    def write(self, vals):
        res = super().write(vals)
        if {"state", "partner_id", "line_ids", "company_id"} & set(vals):
            self._update_positions()
        if "user_id" in vals:
            self.deadline_ids._sync_activities()
        return res

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("line_ids", "partner_id", "company_id")
    def _check_items(self):
        for case in self:
            wrong = case.line_ids.filtered(
                lambda line, c=case: (
                    line.move_line_id.partner_id.commercial_partner_id != c.partner_id
                    or line.move_line_id.company_id != c.company_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "The items of case %(case)s must belong to its customer %(partner)s in %(company)s.",
                        case=case.name,
                        partner=case.partner_id.display_name,
                        company=case.company_id.name,
                    )
                )

    @api.constrains("line_ids", "state")
    def _check_items_in_one_open_case(self):
        lines = self.filtered(lambda c: c.state == "open").line_ids
        if not lines:
            return
        others = self.env["recouvrement.legal.case.line"].search(
            [
                ("move_line_id", "in", lines.move_line_id.ids),
                ("state", "=", "open"),
                ("id", "not in", lines.ids),
            ],
            limit=1,
        )
        if others:
            raise ValidationError(
                self.env._(
                    "%(invoice)s is already in the open legal case %(case)s.",
                    invoice=others.move_id.name,
                    case=others.case_id.name,
                )
            )

    @api.constrains("date_open", "date_close")
    def _check_dates(self):
        for case in self:
            if case.date_close and case.date_close < case.date_open:
                raise ValidationError(
                    self.env._("Case %(case)s cannot close before it opened.", case=case.name)
                )

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_update_amounts(self):
        self._update_penalties()
        return True

    def action_open_close_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the Case"),
            "res_model": "recouvrement.legal.case.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_ids": self.ids},
        }

    def action_reopen(self):
        for case in self.filtered(lambda c: c.state == "closed"):
            case.write(
                {
                    "state": "open",
                    "date_close": False,
                    "close_reason": False,
                    "close_note": False,
                    "stage_id": case._get_open_stage().id,
                }
            )
        return True

    def action_open_invoices(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices of the Case"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _open_for_items(self, move_lines, communication=None):
        """Open one case per customer and company for the open receivable items MOVE_LINES (those
        already in an open case are left out). Return the cases, new or existing."""
        move_lines = move_lines.filtered(
            lambda aml: (
                aml.account_id.account_type == "asset_receivable"
                and not aml.reconciled
                and aml.parent_state == "posted"
                and aml.amount_residual > 0
            )
        )
        taken = self.env["recouvrement.legal.case.line"].search(
            [("move_line_id", "in", move_lines.ids), ("case_id.state", "=", "open")]
        )
        move_lines -= taken.move_line_id
        if not move_lines:
            raise UserError(
                self.env._("No open receivable item to hand over: they are paid or already in a case.")
            )
        cases = self.browse()
        groups = move_lines.grouped(lambda aml: (aml.company_id, aml.partner_id.commercial_partner_id))
        for (company, partner), lines in groups.items():
            cases |= self.create(self._prepare_case_vals(company, partner, lines, communication))
        cases._update_penalties()
        cases._create_automatic_procedures()
        for case in cases:
            case.message_post(
                body=self.env._(
                    "Legal case opened for %(amount)s.", amount=case._format_amount(case.amount_opening)
                ),
                subtype_xmlid="mail.mt_note",
            )
        return cases

    def _prepare_case_vals(self, company, partner, move_lines, communication=None):
        """Hook: the values of a new case of PARTNER in COMPANY for MOVE_LINES."""
        return {
            "company_id": company.id,
            "partner_id": partner.id,
            "user_id": (company.credit_manager_id or self.env.user).id,
            "communication_id": communication.id if communication else False,
            "line_ids": [Command.create(self._prepare_line_vals(aml)) for aml in move_lines],
        }

    @api.model
    def _prepare_line_vals(self, move_line):
        return {"move_line_id": move_line.id, "amount_opening": move_line.amount_residual}

    def _create_automatic_procedures(self):
        """Procedures whose deadline must never be missed start with the case: the credit-insurer
        claim when the customer is insured (else the cover is lost), the claim declaration when
        the customer is in insolvency proceedings (from the BODACC publication). Hook."""
        Procedure = self.env["recouvrement.legal.procedure"]
        insurer_type = self.env.ref("recouvrement_legal.legal_procedure_insurer", raise_if_not_found=False)
        insolvency_type = self.env.ref(
            "recouvrement_legal.legal_procedure_insolvency", raise_if_not_found=False
        )
        vals_list = []
        for case in self:
            partner = case.partner_id.with_company(case.company_id)
            if insurer_type and partner.credit_insurer_id:
                vals_list.append({"case_id": case.id, "type_id": insurer_type.id})
            if insolvency_type and partner.recouvrement_insolvency:
                vals_list.append(
                    {
                        "case_id": case.id,
                        "type_id": insolvency_type.id,
                        "date_publication": partner.legal_insolvency_publication_date,
                    }
                )
        return Procedure.create(vals_list)

    def _close(self, reason, note=False, date=None):
        """Close the cases for REASON (see CLOSE_REASONS), which is compulsory."""
        if not reason:
            raise ValidationError(self.env._("A case is closed with a reason."))
        if reason not in dict(CLOSE_REASONS):
            raise ValidationError(self.env._("Unknown closing reason %(reason)s.", reason=reason))
        if any(case.state == "closed" for case in self):
            raise UserError(self.env._("This case is already closed."))
        stage = self.env["recouvrement.legal.stage"].search([("is_closed", "=", True)], limit=1)
        self.write(
            {
                "state": "closed",
                "close_reason": reason,
                "close_note": note,
                "date_close": date or fields.Date.context_today(self),
                **({"stage_id": stage.id} if stage else {}),
            }
        )
        pending = self.deadline_ids.filtered(lambda d: d.state == "pending")
        pending.write({"state": "cancelled"})
        pending._sync_activities()
        return True

    def _update_penalties(self, on_date=None):
        """Interest and indemnity of the case's invoices as of ON_DATE (default today), from the
        late-payment penalty computation, in company currency."""
        on_date = on_date or fields.Date.context_today(self)
        for case in self:
            interest = indemnity = 0.0
            for move in case.line_ids.move_id:
                try:
                    penalty = move._compute_late_payment_penalty(on_date)
                except UserError:  # a semester's rate not loaded: the amounts stay as they were
                    continue
                interest += move.currency_id._convert(
                    penalty["interest"], case.currency_id, case.company_id, on_date
                )
                indemnity += move.currency_id._convert(
                    penalty["indemnity"], case.currency_id, case.company_id, on_date
                )
            case.write({"amount_interest": interest, "amount_indemnity": indemnity, "amounts_date": on_date})

    @api.model
    def _cron_update_amounts(self):
        self.search([("state", "=", "open")])._update_penalties()
        self.env["recouvrement.legal.deadline"]._cron_mark_missed()

    def _update_positions(self):
        self.env["recouvrement.credit.position"]._mark_for_refresh(self.partner_id)

    def _get_open_stage(self):
        return self.env["recouvrement.legal.stage"].search([("is_closed", "=", False)], limit=1)

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _format_amount(self, amount):
        from odoo.tools.misc import formatLang

        return formatLang(self.env, amount, currency_obj=self.currency_id)


class RecouvrementLegalCaseLine(models.Model):
    """A receivable item covered by a case: its amount at opening, frozen, and its residual, live."""

    _name = "recouvrement.legal.case.line"
    _description = "Legal case item"
    _order = "date_maturity, id"
    _check_company_auto = True

    case_id = fields.Many2one("recouvrement.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_line_id = fields.Many2one(
        "account.move.line",
        "Item",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('account_id.account_type', '=', 'asset_receivable'), ('parent_state', '=', 'posted')]",
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True, string="Invoice")
    date_maturity = fields.Date(related="move_line_id.date_maturity", store=True)
    amount_opening = fields.Monetary("At Opening", readonly=True, help="The residual when the case opened.")
    doubtful_line_id = fields.Many2one(
        "account.move.line",
        "Doubtful Item (416)",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Once reclassified as doubtful, the item of the 416 account that carries the debt.",
    )
    amount_residual = fields.Monetary(
        "Residual",
        compute="_compute_amount_residual",
        store=True,
        help="Live: what is still due on the item.",
    )
    state = fields.Selection(related="case_id.state", store=True)

    @api.depends("move_line_id.amount_residual", "doubtful_line_id.amount_residual")
    def _compute_amount_residual(self):
        for line in self:
            line.amount_residual = (line.doubtful_line_id or line.move_line_id).amount_residual

    _sql_constraints = [("case_item_uniq", "unique(case_id, move_line_id)", "An item is once in a case.")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "amount_opening" not in vals and vals.get("move_line_id"):
                vals["amount_opening"] = (
                    self.env["account.move.line"].browse(vals["move_line_id"]).amount_residual
                )
        return super().create(vals_list)

    def _get_open_item(self):
        self.ensure_one()
        return self.doubtful_line_id or self.move_line_id

    def _get_untaxed_share(self):
        """The share of the item that is the price excluding VAT (the invoice's ratio)."""
        move = self.move_id
        total = move.amount_total_signed
        return move.amount_untaxed_signed / total if total else 1.0
