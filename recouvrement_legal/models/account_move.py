"""Prescription of customer invoices (limitation periods, C. com. L110-4, C. conso. L218-2, CPCE
L111-4) and the legal case covering them."""

from datetime import timedelta

from odoo import api, fields, models

from . import legal_calendar
from .recouvrement_legal_prescription_event import INTERRUPTIONS


class AccountMove(models.Model):
    _inherit = "account.move"

    legal_case_line_ids = fields.One2many("recouvrement.legal.case.line", "move_id", "Legal Case Items")
    legal_case_id = fields.Many2one(
        "recouvrement.legal.case", compute="_compute_legal_case_id", compute_sudo=True
    )
    legal_prescription_event_ids = fields.One2many(
        "recouvrement.legal.prescription.event", "move_id", "Prescription Events"
    )
    legal_prescription_start = fields.Date(
        "Prescription Starts",
        compute="_compute_legal_prescription_start",
        store=True,
        readonly=False,
        help="The earlier of the delivery (or completion) date and the invoice date.",
    )
    legal_prescription_years = fields.Integer(
        "Prescription (Years)",
        compute="_compute_legal_prescription_years",
        store=True,
        readonly=False,
        help="5 years between businesses (L110-4 C. com.), 2 years from a professional to a consumer "
        "(L218-2 C. conso.). An enforceable title makes it 10 years (L111-4 CPCE).",
    )
    legal_prescription_date = fields.Date(
        "Prescribed On", compute="_compute_legal_prescription_date", store=True, index="btree_not_null"
    )

    @api.depends("legal_case_line_ids.case_id.state")
    def _compute_legal_case_id(self):
        for move in self:
            lines = move.legal_case_line_ids.filtered(lambda line: line.case_id.state == "open")
            move.legal_case_id = lines[:1].case_id or move.legal_case_line_ids[-1:].case_id

    @api.depends("invoice_date", "delivery_date")
    def _compute_legal_prescription_start(self):
        for move in self:
            dates = [d for d in (move.invoice_date, move.delivery_date) if d]
            move.legal_prescription_start = min(dates) if dates else False

    @api.depends("commercial_partner_id.is_company")
    def _compute_legal_prescription_years(self):
        for move in self:
            move.legal_prescription_years = 5 if move.commercial_partner_id.is_company else 2

    @api.depends(
        "move_type",
        "legal_prescription_start",
        "legal_prescription_years",
        "legal_prescription_event_ids.date",
        "legal_prescription_event_ids.date_end",
        "legal_prescription_event_ids.kind",
        "line_ids.matched_credit_ids.max_date",
    )
    def _compute_legal_prescription_date(self):
        for move in self:
            if move.move_type not in ("out_invoice", "out_receipt") or not move.legal_prescription_start:
                move.legal_prescription_date = False
                continue
            move.legal_prescription_date = move._get_prescription_date()

    def _get_prescription_date(self):
        """The day the claim is time-barred: the period runs from the start; each interruption before
        the end starts a new period of the same length (2231 C. civ.), an enforceable title one of
        10 years (L111-4 CPCE), each suspension pushes the end by its length (2230). A formal notice
        changes nothing (Cass. com. 18 May 2022, n° 20-23.204)."""
        self.ensure_one()
        years = self.legal_prescription_years or 5
        end = legal_calendar.add_months(self.legal_prescription_start, 12 * years)
        for day, kind, date_end in self._get_prescription_events():
            if day >= end:
                break  # acquired before: nothing revives it
            if kind in INTERRUPTIONS:
                end = max(end, legal_calendar.add_months(day, 12 * years))
            elif kind == "title":
                years = 10
                end = max(end, legal_calendar.add_months(day, 12 * years))
            elif kind == "suspension":
                suspended_until = date_end or fields.Date.context_today(self)
                end += timedelta(days=(suspended_until - day).days)
        return end

    def _get_prescription_events(self):
        """(date, kind, end of suspension) in date order: the recorded events, and each partial
        payment received before the invoice was settled (an acknowledgement of the debt). Hook."""
        events = [(e.date, e.kind, e.date_end) for e in self.legal_prescription_event_ids]
        receivable = self.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        if receivable and not all(receivable.mapped("reconciled")):
            events += [
                (partial.max_date, "partial_payment", False) for partial in receivable.matched_credit_ids
            ]
        return sorted(events, key=lambda event: event[0])

    def _is_penalty_bearing(self):
        """Debts born before the opening of insolvency proceedings bear no more penalties: they are
        declared to the mandataire as they stood (C. com. L622-28)."""
        if not super()._is_penalty_bearing():
            return False
        partner = self.commercial_partner_id
        judgment = partner.legal_insolvency_judgment_date
        return not (
            partner.recouvrement_insolvency
            and judgment
            and self.invoice_date
            and self.invoice_date < judgment
        )

    def action_open_legal_case(self):
        """From selected invoices: open one case per customer and company with their open items."""
        items = self.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        cases = self.env["recouvrement.legal.case"]._open_for_items(items)
        return cases._get_records_action(name=self.env._("Legal Cases"))
