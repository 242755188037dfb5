from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class RecouvrementPromise(models.Model):
    _name = "recouvrement.promise"
    _inherit = ["recouvrement.portal.chatter.mixin", "recouvrement.promise"]
    _portal_kind = "promise"

    portal_contact_id = fields.Many2one(
        "res.partner", "Promised By", readonly=True, help="The customer's contact who promised on the portal."
    )

    @api.model
    def _portal_create(self, contact, company, lines, date, amount):
        """The promise a customer's CONTACT makes on the portal (sudo, after the portal checked
        LINES are the customer's open items in COMPANY): channel portal, the date within the
        company's limit, the amount at most what is due."""
        today = fields.Date.context_today(self)
        if not lines:
            raise UserError(self.env._("Choose the invoices you promise to pay."))
        latest = today + timedelta(days=company.portal_promise_max_days)
        if not date or date < today or date > latest:
            raise UserError(
                self.env._(
                    "Choose a payment date between today and %(latest)s.",
                    latest=format_date(self.env, latest),
                )
            )
        promise = self.new({"company_id": company.id, "move_line_ids": [Command.set(lines.ids)]})
        due = promise._items_residual_python()
        currency = promise.currency_id
        if (
            amount is None
            or currency.compare_amounts(amount, 0) <= 0
            or currency.compare_amounts(amount, due) > 0
        ):
            raise UserError(
                self.env._(
                    "The amount must be positive and at most what is due (%(due)s).",
                    due=format_amount(self.env, due, currency),
                )
            )
        collector = lines.partner_id.commercial_partner_id.with_company(company).dunning_collector_id
        promise = self.with_company(company).create(
            {
                "partner_id": lines.partner_id.commercial_partner_id.id,
                "company_id": company.id,
                "move_line_ids": [Command.set(lines.ids)],
                "date": date,
                "amount": amount,
                "channel": "portal",
                "portal_contact_id": contact.id,
                "user_id": (collector or company._get_credit_manager() or self.env.ref("base.user_root")).id,
            }
        )
        promise.message_subscribe(partner_ids=contact.ids)
        return promise
