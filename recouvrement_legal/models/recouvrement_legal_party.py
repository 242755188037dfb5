from odoo import fields, models

PARTY_ROLES = [
    ("lawyer", "Lawyer"),
    ("commissaire", "Commissaire de justice"),
    ("agency", "Collection agency"),
    ("mandataire", "Mandataire judiciaire"),
    ("court", "Court"),
    ("insurer", "Credit insurer"),
    ("other", "Other"),
]


class RecouvrementLegalParty(models.Model):
    """Who acts in a case besides us and the debtor, in which role, under which reference."""

    _name = "recouvrement.legal.party"
    _description = "Legal case party"
    _order = "case_id, role, id"
    _check_company_auto = True

    case_id = fields.Many2one("recouvrement.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", "Contact", required=True)
    role = fields.Selection(PARTY_ROLES, required=True)
    reference = fields.Char("Their Reference")
    date_mandate = fields.Date("Mandated On")
    note = fields.Char()
