"""A collection agency's report back on a case it holds (agency handover procedure): how it went,
what it collected, the commission it earns on it at the mandate's rate. The commission is a cost
of the case borne by us; what the agency collected is booked against the customer's receivable
(on the agency's account until it remits it) and so counts as recovered."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REPORT_OUTCOMES = [
    ("ongoing", "In progress"),
    ("promise", "Debtor promised to pay"),
    ("partial", "Partly collected"),
    ("collected", "Collected in full"),
    ("failed", "Unsuccessful, file returned"),
]


class RecouvrementLegalAgencyReport(models.Model):
    _name = "recouvrement.legal.agency.report"
    _description = "Collection agency report"
    _order = "date desc, id desc"
    _check_company_auto = True

    procedure_id = fields.Many2one(
        "recouvrement.legal.procedure",
        "Agency Handover",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        domain="[('kind', '=', 'agency')]",
    )
    case_id = fields.Many2one(related="procedure_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="procedure_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    agency_id = fields.Many2one(
        "res.partner",
        compute="_compute_agency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The case's party in the role of collection agency.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    outcome = fields.Selection(REPORT_OUTCOMES, required=True, default="ongoing")
    amount_collected = fields.Monetary("Collected by the Agency")
    commission_rate = fields.Float(
        "Commission (%)",
        compute="_compute_commission_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="From the mandate (the procedure's commission rate).",
    )
    amount_commission = fields.Monetary("Commission", compute="_compute_amount_commission", store=True)
    note = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Report Documents")
    cost_id = fields.Many2one(
        "recouvrement.legal.cost", "Commission Cost", readonly=True, ondelete="set null"
    )
    move_id = fields.Many2one("account.move", "Collection Entry", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("procedure_id")
    def _compute_agency_id(self):
        for report in self:
            if not report.agency_id:
                agencies = report.case_id.party_ids.filtered(lambda p: p.role == "agency")
                report.agency_id = agencies[:1].partner_id

    @api.depends("procedure_id.commission_rate")
    def _compute_commission_rate(self):
        for report in self:
            if not report.commission_rate:
                report.commission_rate = report.procedure_id.commission_rate

    @api.depends("amount_collected", "commission_rate")
    def _compute_amount_commission(self):
        for report in self:
            report.amount_commission = report.currency_id.round(
                report.amount_collected * report.commission_rate / 100.0
            )

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("amount_collected", "commission_rate")
    def _check_amounts(self):
        for report in self:
            if report.amount_collected < 0:
                raise ValidationError(self.env._("The amount collected by the agency cannot be negative."))
            if not 0 <= report.commission_rate <= 100:
                raise ValidationError(self.env._("A commission rate is between 0 and 100 %."))

    @api.constrains("procedure_id")
    def _check_procedure_kind(self):
        for report in self:
            if report.procedure_id.kind != "agency":
                raise ValidationError(
                    self.env._(
                        "Reports back come from an agency handover, not from %(procedure)s.",
                        procedure=report.procedure_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._sync_cost()
        return reports

    def write(self, vals):
        if "amount_collected" in vals and self.filtered("move_id"):
            raise UserError(
                self.env._("The collection of this report is booked: reverse its entry before changing it.")
            )
        res = super().write(vals)
        if {"amount_collected", "commission_rate", "date", "agency_id"} & set(vals):
            self._sync_cost()
        return res

    def unlink(self):
        if self.filtered("move_id"):
            raise UserError(self.env._("A report whose collection is booked cannot be deleted."))
        self.cost_id.unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_book_collection(self):
        for report in self:
            report._book_collection()
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _sync_cost(self):
        """The commission as a cost line of the case (agency commission, borne by us)."""
        for report in self:
            if not report.amount_commission:
                report.cost_id.unlink()
                continue
            vals = report._prepare_cost_vals()
            if report.cost_id:
                report.cost_id.write(vals)
            else:
                report.cost_id = self.env["recouvrement.legal.cost"].create(vals)

    def _prepare_cost_vals(self):
        """Hook: the cost line of the report's commission."""
        return {
            "case_id": self.case_id.id,
            "date": self.date,
            "kind": "agency",
            "name": self.env._(
                "Agency commission (%(rate)s %%) on %(amount)s",
                rate=self.commission_rate,
                amount=self.case_id._format_amount(self.amount_collected),
            ),
            "amount": self.amount_commission,
            "bearer": "creditor",
            "partner_id": self.agency_id.id,
        }

    def _book_collection(self):
        """Agency account (467200 by default) / the customer's receivable, for what it collected."""
        self.ensure_one()
        if self.move_id:
            raise UserError(self.env._("The collection of this report is already booked."))
        if not self.amount_collected:
            raise UserError(self.env._("The agency reported nothing collected."))
        case = self.case_id
        self.move_id = case._book_third_party_receipt(
            self.amount_collected,
            case.company_id._get_legal_account("legal_agency_account_id"),
            self.agency_id,
            self.env._("Collected by the agency – %(case)s", case=case.name),
            self.date,
        )
        return self.move_id
