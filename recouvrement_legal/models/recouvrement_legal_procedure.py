"""A procedure run on a legal case (injonction de payer, PSRPC, référé, seizure, insolvency claim,
agency, credit insurer): its dates, its outcome and the deadlines its dates start."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import legal_calendar
from .recouvrement_legal_procedure_type import PROCEDURE_DATES

DATE_FIELDS = [name for name, _label in PROCEDURE_DATES]
# The order the dates of a procedure happen in: a later one cannot be earlier than an earlier one.
DATE_ORDER = ("date_filed", "date_decision", "date_service", "date_first_personal_act")
SERVICE_TYPES = [
    ("person", "To the debtor in person"),
    ("domicile", "At the domicile"),
    ("office", "At the office (étude)"),
    ("pv659", "Report of unsuccessful search (PV 659)"),
]
# Forms of the request for an injonction de payer, by court.
CERFA = {"commerce": "12946", "judiciaire": "12948", "protection": "16040"}


class RecouvrementLegalProcedure(models.Model):
    _name = "recouvrement.legal.procedure"
    _inherit = ["mail.thread"]
    _description = "Legal procedure"
    _order = "date_filed desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one("recouvrement.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="case_id.partner_id", store=True, string="Customer")
    type_id = fields.Many2one("recouvrement.legal.procedure.type", "Procedure", required=True, tracking=True)
    kind = fields.Selection(related="type_id.kind")
    step_id = fields.Many2one(
        "recouvrement.legal.procedure.step",
        tracking=True,
        domain="[('type_id', '=', type_id)]",
        compute="_compute_step_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    name = fields.Char(compute="_compute_name", store=True)
    state = fields.Selection(
        [("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")],
        default="running",
        required=True,
        tracking=True,
    )
    amount_claimed = fields.Monetary(
        "Principal and Interest Claimed",
        compute="_compute_amount_claimed",
        store=True,
        readonly=False,
        precompute=True,
    )
    court_type = fields.Selection(
        [
            ("commerce", "Tribunal de commerce"),
            ("judiciaire", "Tribunal judiciaire"),
            ("protection", "Juge des contentieux de la protection"),
        ],
        compute="_compute_court_type",
        store=True,
        readonly=False,
        precompute=True,
        help="From the customer type: a business goes to the tribunal de commerce, a private person to "
        "the tribunal judiciaire (court of the debtor's domicile, art. 1406 CPC).",
    )
    court_id = fields.Many2one("res.partner")
    cerfa = fields.Char("Form (cerfa)", compute="_compute_cerfa")
    lawyer_warning = fields.Char(compute="_compute_lawyer_warning")
    creditor_abroad = fields.Boolean(
        compute="_compute_creditor_abroad",
        store=True,
        readonly=False,
        precompute=True,
        help="The creditor (our company) is abroad: some deadlines are doubled.",
    )

    date_filed = fields.Date("Filed / Sent", tracking=True)
    date_decision = fields.Date("Decision Date", tracking=True)
    decision = fields.Selection(
        [("granted", "Granted"), ("partial", "Partly granted"), ("rejected", "Rejected")], tracking=True
    )
    date_service = fields.Date("Served On", tracking=True)
    service_type = fields.Selection(SERVICE_TYPES, "Service Made", tracking=True)
    date_first_personal_act = fields.Date(
        "First Act in Person / Enforcement",
        tracking=True,
        help="When service was not made in person: the first act served to the debtor in person or, "
        "failing that, the first enforcement measure making assets unavailable (art. 1416 CPC).",
    )
    date_execution = fields.Date("Measure Executed On", tracking=True)
    date_notice = fields.Date("Debtor Notified On", tracking=True)
    date_publication = fields.Date("BODACC Publication", tracking=True)
    date_reference = fields.Date(
        "Reference Due Date",
        compute="_compute_date_reference",
        store=True,
        readonly=False,
        precompute=True,
        help="The oldest due date of the case's items (the insurer's notification delay runs from it).",
    )
    date_title = fields.Date(
        "Enforceable Title On", tracking=True, help="The date the procedure gave an enforceable title."
    )
    answer = fields.Selection(
        [("accepted", "Accepted"), ("refused", "Refused"), ("silence", "No answer (refusal)")],
        "Debtor's Answer",
        tracking=True,
    )
    commission_rate = fields.Float("Commission (%)", help="The agency's commission on the sums recovered.")
    insurer_state = fields.Selection(
        [("filed", "Claim filed"), ("indemnified", "Indemnified"), ("refused", "Refused")], "Insurer Claim"
    )
    note = fields.Html()
    deadline_ids = fields.One2many("recouvrement.legal.deadline", "procedure_id", "Deadlines")
    agency_report_ids = fields.One2many("recouvrement.legal.agency.report", "procedure_id", "Agency Reports")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("type_id")
    def _compute_step_id(self):
        for procedure in self:
            if procedure.step_id.type_id != procedure.type_id:
                procedure.step_id = procedure.type_id.step_ids[:1]

    @api.depends("type_id", "case_id.name")
    def _compute_name(self):
        for procedure in self:
            procedure.name = (
                f"{procedure.case_id.name} – {procedure.type_id.name}" if procedure.type_id else False
            )

    @api.depends("case_id")
    def _compute_amount_claimed(self):
        for procedure in self:
            if not procedure.amount_claimed:
                case = procedure.case_id
                procedure.amount_claimed = case.amount_principal + case.amount_interest

    @api.depends("case_id.partner_id")
    def _compute_court_type(self):
        for procedure in self:
            procedure.court_type = "commerce" if procedure.case_id.partner_id.is_company else "judiciaire"

    @api.depends("court_type", "kind")
    def _compute_cerfa(self):
        for procedure in self:
            procedure.cerfa = CERFA.get(procedure.court_type) if procedure.kind == "injunction" else False

    @api.depends("amount_claimed", "type_id.lawyer_threshold")
    def _compute_lawyer_warning(self):
        for procedure in self:
            threshold = procedure.type_id.lawyer_threshold
            procedure.lawyer_warning = (
                self.env._(
                    "A lawyer is compulsory for a claim above %(threshold)s.",
                    threshold=procedure.case_id._format_amount(threshold),
                )
                if threshold and procedure.amount_claimed > threshold
                else False
            )

    @api.depends("case_id.company_id", "case_id.partner_id")
    def _compute_creditor_abroad(self):
        for procedure in self:
            company_country = procedure.case_id.company_id.country_id
            procedure.creditor_abroad = bool(company_country) and company_country.code != "FR"

    @api.depends("case_id.line_ids.date_maturity")
    def _compute_date_reference(self):
        for procedure in self:
            if not procedure.date_reference:
                dates = [d for d in procedure.case_id.line_ids.mapped("date_maturity") if d]
                procedure.date_reference = min(dates) if dates else False

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("amount_claimed", "type_id")
    def _check_max_amount(self):
        for procedure in self:
            maximum = procedure.type_id.max_amount
            if maximum and procedure.amount_claimed > maximum:
                raise ValidationError(
                    self.env._(
                        "%(procedure)s is limited to claims of %(maximum)s (principal and interest); "
                        "this one claims %(amount)s.",
                        procedure=procedure.type_id.name,
                        maximum=procedure.case_id._format_amount(maximum),
                        amount=procedure.case_id._format_amount(procedure.amount_claimed),
                    )
                )

    @api.constrains(*DATE_ORDER, "date_execution", "date_notice")
    def _check_date_order(self):
        for procedure in self:
            pairs = [
                (earlier, later)
                for index, earlier in enumerate(DATE_ORDER)
                for later in DATE_ORDER[index + 1 :]
            ] + [("date_execution", "date_notice")]
            for earlier, later in pairs:
                if procedure[earlier] and procedure[later] and procedure[later] < procedure[earlier]:
                    raise ValidationError(
                        self.env._(
                            "%(later)s (%(later_date)s) cannot be before %(earlier)s (%(earlier_date)s).",
                            later=procedure._fields[later].get_description(self.env)["string"],
                            later_date=procedure[later],
                            earlier=procedure._fields[earlier].get_description(self.env)["string"],
                            earlier_date=procedure[earlier],
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        procedures = super().create(vals_list)
        procedures._sync_deadlines()
        procedures._sync_prescription_events()
        return procedures

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & {*DATE_FIELDS, "type_id", "service_type", "decision", "creditor_abroad", "date_title"}:
            self._sync_deadlines()
            self._sync_prescription_events()
        return res

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _sync_deadlines(self):
        """Create or update the deadlines that the procedure's dates start, one per rule."""
        deadlines = self.env["recouvrement.legal.deadline"]
        for procedure in self:
            existing = {d.rule_id: d for d in procedure.deadline_ids}
            for rule in procedure.type_id.rule_ids:
                vals = procedure._prepare_deadline_vals(rule)
                deadline = existing.get(rule)
                if deadline:
                    if deadline.state in ("pending", "met", "missed") or vals.get("state") == "cancelled":
                        deadline.write(vals)
                elif vals.get("date_deadline"):
                    deadlines.create({**vals, "procedure_id": procedure.id, "rule_id": rule.id})
        self.deadline_ids._sync_activities()

    def _prepare_deadline_vals(self, rule):
        """The deadline of RULE for this procedure: its start, its last day and its state."""
        start = self._get_deadline_start(rule)
        vals = {"name": rule.name, "date_start": start, "date_deadline": False}
        if rule.only_if_granted and self.decision == "rejected":
            return {**vals, "state": "cancelled"}
        if not start:
            return vals
        delay = self._get_deadline_delay(rule)
        months, days = (delay, 0) if rule.unit == "months" else (0, delay)
        vals["date_deadline"] = legal_calendar.deadline(start, months, days, rule.extend_to_working_day)
        done = rule.done_field and self[rule.done_field]
        if done:
            vals["state"] = "met" if done <= vals["date_deadline"] else "missed"
        else:
            vals["state"] = "pending"
        return vals

    def _get_deadline_start(self, rule):
        start = self[rule.start_field]
        if rule.personal_service and self.service_type and self.service_type != "person":
            # art. 1416 al. 2 CPC: from the first act in person or the first enforcement measure
            start = self.date_first_personal_act
        return start

    def _get_deadline_delay(self, rule):
        delay = rule.delay
        if rule.delay_from_insurer:
            insurer = self.case_id.partner_id.with_company(self.company_id).credit_insurer_id
            delay = insurer.legal_insurer_notice_days or delay
        if rule.double_abroad and self.creditor_abroad:
            delay *= 2
        return delay

    def _sync_prescription_events(self):
        """The procedure's date that interrupts prescription (court action, enforcement act, claim
        declaration) and the enforceable title become events on each invoice of the case."""
        events = self.env["recouvrement.legal.prescription.event"]
        for procedure in self:
            wanted = {}
            field = procedure.type_id.interrupts_prescription_on
            kind = procedure._get_interruption_kind()
            if field and procedure[field]:
                wanted[kind] = procedure[field]
            if procedure.date_title:
                wanted["title"] = procedure.date_title
            current = events.search([("procedure_id", "=", procedure.id)])
            for event in current:
                if event.kind not in wanted:
                    event.unlink()
                elif event.date != wanted[event.kind]:
                    event.date = wanted[event.kind]
            have = {(e.kind, e.move_id) for e in current.exists()}
            to_create = [
                {"move_id": move.id, "kind": kind, "date": day, "procedure_id": procedure.id}
                for kind, day in wanted.items()
                for move in procedure.case_id.line_ids.move_id
                if (kind, move) not in have
            ]
            events.create(to_create)

    def _get_interruption_kind(self):
        return {
            "conservatory": "enforcement",
            "garnishment": "enforcement",
            "insolvency": "insolvency_claim",
        }.get(self.kind, "court_action")
