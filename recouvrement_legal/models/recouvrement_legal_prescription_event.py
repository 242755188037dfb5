from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What happened to a receivable and what it does to its prescription (C. civ. 2230 ff.).
INTERRUPTIONS = (
    "acknowledgement",
    "partial_payment",
    "plan_request",
    "court_action",
    "enforcement",
    "insolvency_claim",
)
EVENT_KINDS = [
    ("acknowledgement", "Acknowledgement of the debt (interrupts, 2240)"),
    ("partial_payment", "Partial payment (acknowledgement, interrupts)"),
    ("plan_request", "Request for a payment plan (acknowledgement, interrupts)"),
    ("court_action", "Court action, service of an injonction (interrupts, 2241)"),
    ("enforcement", "Conservatory or enforcement act (interrupts, 2244)"),
    ("insolvency_claim", "Claim declared in insolvency (interrupts)"),
    ("title", "Enforceable title obtained (10 years, L111-4 CPCE)"),
    ("suspension", "Suspension: accepted PSRPC, mediation, conciliation (2238)"),
    ("formal_notice", "Formal notice (does NOT interrupt)"),
]


class RecouvrementLegalPrescriptionEvent(models.Model):
    """An event in the life of an invoice that interrupts or suspends its prescription, or not (a
    formal notice, recorded so that nobody believes it did)."""

    _name = "recouvrement.legal.prescription.event"
    _description = "Prescription event"
    _order = "date, id"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", "Invoice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    kind = fields.Selection(EVENT_KINDS, required=True)
    date = fields.Date(required=True)
    date_end = fields.Date("Suspended Until", help="For a suspension: the day it ended.")
    note = fields.Char()
    procedure_id = fields.Many2one("recouvrement.legal.procedure", ondelete="cascade", index="btree_not_null")

    @api.constrains("date", "date_end", "kind")
    def _check_dates(self):
        for event in self:
            if event.date_end and event.date_end < event.date:
                raise ValidationError(
                    self.env._(
                        "A suspension cannot end (%(end)s) before it starts (%(start)s).",
                        end=event.date_end,
                        start=event.date,
                    )
                )
