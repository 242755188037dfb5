from odoo import fields, models


class RecouvrementCreditExceptionGrant(models.TransientModel):
    """Shown to a credit manager whose action the customer's credit blocks: grant an exception,
    then the action goes on."""

    _name = "recouvrement.credit.exception.grant"
    _description = "Grant a credit exception"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    document_ref = fields.Reference(
        [("sale.order", "Sales Order"), ("account.move", "Invoice")], "Document", required=True, readonly=True
    )
    blocking_reasons = fields.Text("Why It Is Blocked", readonly=True)
    scope = fields.Selection(
        [("document", "This document only"), ("partner", "The customer, until a date")],
        required=True,
        default="document",
    )
    date_end = fields.Date("Valid Until")
    amount_max = fields.Monetary("Up to an Exposure of")
    reason = fields.Text(required=True)

    def _prepare_exception_values(self):
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "scope": self.scope,
            "document_ref": f"{self.document_ref._name},{self.document_ref.id}",
            "date_end": self.date_end if self.scope == "partner" else False,
            "amount_max": self.amount_max,
            "reason": self.reason,
        }

    def action_grant(self):
        """Grant the exception (credit managers only, by the model's access rights) and resume."""
        self.ensure_one()
        self.env["recouvrement.credit.exception"].create(self._prepare_exception_values())
        document = self.document_ref
        return getattr(document, document._credit_resume_method)()
