from odoo import api, fields, models

# Dates of a procedure that a deadline rule can run from (or that meet it once they are entered).
PROCEDURE_DATES = [
    ("date_filed", "Filed / Sent"),
    ("date_decision", "Decision"),
    ("date_service", "Service"),
    ("date_first_personal_act", "First Act Served in Person"),
    ("date_execution", "Execution of the Measure"),
    ("date_notice", "Notice to the Debtor"),
    ("date_publication", "BODACC Publication"),
    ("date_reference", "Reference Due Date"),
]
PROCEDURE_KINDS = [
    ("injunction", "Injonction de payer"),
    ("small_claims", "Simplified small-claims procedure (PSRPC)"),
    ("summary", "Référé-provision"),
    ("merits", "Claim on the merits"),
    ("conservatory", "Saisie conservatoire"),
    ("garnishment", "Saisie-attribution"),
    ("insolvency", "Insolvency claim declaration"),
    ("agency", "Agency handover"),
    ("insurer", "Credit-insurer claim"),
    ("other", "Other"),
]


class RecouvrementLegalProcedureType(models.Model):
    """A kind of legal procedure, with its ordered steps and the deadline rules that its dates
    start. Data, so that users add procedures and steps without code."""

    _name = "recouvrement.legal.procedure.type"
    _description = "Legal procedure type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        PROCEDURE_KINDS,
        required=True,
        default="other",
        help="What the application checks for this procedure.",
    )
    legal_basis = fields.Char(translate=True)
    description = fields.Text(translate=True)
    max_amount = fields.Float(
        "Maximum Claim",
        help="Principal and interest above this amount are refused (e.g. 5,000 € for the PSRPC). "
        "0: no maximum.",
    )
    lawyer_threshold = fields.Float(
        "Lawyer Compulsory Above",
        help="A warning tells that a lawyer is compulsory above this claim (e.g. 10,000 €). 0: never.",
    )
    interrupts_prescription_on = fields.Selection(
        PROCEDURE_DATES,
        help="The date of the procedure that interrupts the prescription of the case's invoices "
        "(court action, enforcement act, claim declaration). A formal notice never does.",
    )
    step_ids = fields.One2many("recouvrement.legal.procedure.step", "type_id", "Steps", copy=True)
    rule_ids = fields.One2many("recouvrement.legal.deadline.rule", "type_id", "Deadline Rules", copy=True)


class RecouvrementLegalProcedureStep(models.Model):
    _name = "recouvrement.legal.procedure.step"
    _description = "Legal procedure step"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "recouvrement.legal.procedure.type", required=True, ondelete="cascade", index=True
    )
    fold = fields.Boolean()


class RecouvrementLegalDeadlineRule(models.Model):
    """A deadline that a date of the procedure starts: N months or days from it, as the code counts
    them (art. 641 CPC), extended to the next working day (art. 642 CPC)."""

    _name = "recouvrement.legal.deadline.rule"
    _description = "Legal deadline rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "recouvrement.legal.procedure.type", required=True, ondelete="cascade", index=True
    )
    legal_basis = fields.Char(translate=True)
    start_field = fields.Selection(PROCEDURE_DATES, "Runs From", required=True)
    done_field = fields.Selection(
        PROCEDURE_DATES,
        "Met When Entered",
        help="The deadline is met once this date of the procedure is entered.",
    )
    delay = fields.Integer(required=True, default=1)
    unit = fields.Selection([("days", "Days"), ("months", "Months")], required=True, default="months")
    delay_from_insurer = fields.Boolean(
        "Delay Set by the Insurer",
        help="The delay is the notification delay (days) of the customer's credit insurer.",
    )
    double_abroad = fields.Boolean(
        "Doubled for Creditors Abroad", help="E.g. the claim declaration in insolvency (R622-24 C. com.)."
    )
    personal_service = fields.Boolean(
        "Runs From Service in Person",
        help="When service was not made to the debtor in person, the deadline runs from the first act "
        "served in person or the first enforcement measure (art. 1416 al. 2 CPC).",
    )
    only_if_granted = fields.Boolean("Only When the Decision Is Favourable")
    extend_to_working_day = fields.Boolean(
        "Extend to the Next Working Day",
        default=True,
        help="Art. 642 CPC: Saturdays, Sundays and public holidays.",
    )
    party = fields.Selection(
        [("us", "To Act On"), ("debtor", "Debtor's Window")],
        "Whose Deadline",
        default="us",
        required=True,
        help="To act on: missing it loses a right. Debtor's window: the debtor can react until then.",
    )
    alert_days = fields.Integer("Alert Days Before", default=7)
    critical = fields.Boolean(
        "Loses a Right When Missed",
        help="E.g. the credit insurer's notification delay (the cover is lost): the owner's activity is "
        "due from the alert date and the deadline shows in red in the agenda from then on.",
    )

    @api.depends("type_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"{rule.type_id.name} – {rule.name}" if rule.type_id else rule.name
