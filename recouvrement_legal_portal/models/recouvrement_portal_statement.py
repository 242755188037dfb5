"""The portal statement of a customer with an open legal case: the case instead of the reminders,
its invoices marked and locked against disputes, promises and payment plans."""

from odoo import api, models
from odoo.exceptions import UserError


class RecouvrementPortalStatement(models.AbstractModel):
    _inherit = "recouvrement.portal.statement"

    @api.model
    def _get_open_legal_case_lines(self, partner, company):
        """The items of PARTNER's open legal cases in COMPANY (sudo)."""
        return (
            self.env["recouvrement.legal.case.line"]
            .sudo()  # sudo: portal users have no access to legal cases; PARTNER's in COMPANY only
            .search(
                [
                    ("case_id.partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                ]
            )
        )

    @api.model
    def _get_statement(self, partner, company, today, filterby="all", offset=0, limit=None):
        statement = super()._get_statement(partner, company, today, filterby, offset, limit)
        case_lines = self._get_open_legal_case_lines(partner, company)
        case_by_move = {line.move_id.id: line.case_id for line in case_lines}
        for item in statement["items"]:
            case = case_by_move.get(item["move"].id)
            item["legal_case"] = case.name if case else False
            if case:
                item["actionable"] = False
        statement["legal_cases"] = [case._prepare_portal_values() for case in case_lines.case_id]
        return statement

    @api.model
    def _check_portal_action(self, partner, company, moves, action):
        super()._check_portal_action(partner, company, moves, action)
        locked = self._get_open_legal_case_lines(partner, company).filtered(
            lambda line: line.move_id in moves
        )
        if locked:
            raise UserError(
                self.env._(
                    "Handled in the legal case %(case)s, these invoices can no longer be disputed, "
                    "promised or put in a payment plan here: %(invoices)s. Please contact the person in "
                    "charge of the case.",
                    case=", ".join(locked.case_id.mapped("name")),
                    invoices=", ".join(locked.move_id.mapped("name")),
                )
            )
        return True
