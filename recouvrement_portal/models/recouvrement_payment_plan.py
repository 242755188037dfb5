import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .recouvrement_dispute import SOURCES

REQUEST_STATES = [
    ("pending", "Waiting for Approval"),
    ("approved", "Approved, to Sign"),
    ("rejected", "Rejected"),
    ("signed", "Signed"),
]


class RecouvrementPaymentPlan(models.Model):
    _name = "recouvrement.payment.plan"
    _inherit = ["recouvrement.portal.chatter.mixin", "recouvrement.payment.plan"]
    _portal_kind = "plan"

    source = fields.Selection(SOURCES, required=True, default="collector", readonly=True)
    request_state = fields.Selection(
        REQUEST_STATES,
        "Request",
        readonly=True,
        copy=False,
        tracking=True,
        help="A plan the customer asked for on the portal: approved automatically within the company's "
        "rules, else by a collector; active once the customer signed it.",
    )
    request_note = fields.Text("Why It Waits", readonly=True, copy=False)
    request_reply = fields.Text("Reply to the Customer", copy=False)
    portal_contact_id = fields.Many2one("res.partner", "Requested By", readonly=True, copy=False)
    signature = fields.Image(copy=False, attachment=True, max_width=1024, max_height=1024)
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)
    agreement_attachment_id = fields.Many2one("ir.attachment", "Signed Agreement", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _portal_prepare_request(self, company, lines, count, date_first, interval):
        """The draft plan's values for a portal request, split as the collectors' wizard does."""
        wizard = self.env["recouvrement.payment.plan.wizard"].new(
            {
                "partner_id": lines.partner_id.commercial_partner_id[:1].id,
                "company_id": company.id,
                "move_line_ids": [(6, 0, lines.ids)],
                "instalment_count": count,
                "date_first": date_first,
                "interval": interval,
            }
        )
        wizard._check_input()
        values = wizard._prepare_plan_values()
        values["move_line_ids"] = [(6, 0, lines.ids)]
        return values, wizard.amount_total, wizard.currency_id

    @api.model
    def _portal_request(self, contact, company, lines, count, date_first, interval):
        """A plan a customer's CONTACT asks for on the portal (sudo, LINES checked as the
        customer's open items in COMPANY). Bad input raises; the company's rules decide whether it
        is approved at once (to sign) or waits for a collector."""
        today = fields.Date.context_today(self)
        if not lines:
            raise UserError(self.env._("Choose the invoices to pay in instalments."))
        if interval not in ("month", "week"):
            raise UserError(self.env._("Choose how often you will pay."))
        if not count or count < 2:
            raise UserError(self.env._("A payment plan has at least two instalments."))
        if not date_first or date_first < today:
            raise UserError(self.env._("The first instalment cannot be in the past."))
        if self.search_count(
            [
                ("move_line_ids", "in", lines.ids),
                "|",
                ("state", "=", "active"),
                "&",
                ("state", "=", "draft"),
                ("source", "=", "portal"),
            ]
        ):
            raise UserError(self.env._("Some of these invoices are already in a payment plan or a request."))
        values, total, currency = self._portal_prepare_request(company, lines, count, date_first, interval)
        collector = lines.partner_id.commercial_partner_id.with_company(company).dunning_collector_id
        values.update(
            source="portal",
            portal_contact_id=contact.id,
            user_id=(collector or company._get_credit_manager() or self.env.ref("base.user_root")).id,
        )
        plan = self.with_company(company).create(values)
        plan.message_subscribe(partner_ids=contact.ids)
        reasons = plan._get_auto_approval_refusals()
        if reasons:
            plan.write({"request_state": "pending", "request_note": "\n".join(reasons)})
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=self.env._("Payment plan requested on the portal: approve or reject"),
                note="\n".join(reasons),
                user_id=plan.user_id.id,
            )
            plan.message_post(
                body=self.env._(
                    "Payment plan requested on the portal (%(total)s in %(count)s instalments); it waits "
                    "for a collector: %(reasons)s",
                    total=format_amount(self.env, total, currency),
                    count=count,
                    reasons="; ".join(reasons),
                ),
                subtype_xmlid="mail.mt_note",
            )
        else:
            plan.request_state = "approved"
            plan.message_post(
                body=self.env._(
                    "Payment plan requested on the portal and approved automatically (%(total)s in "
                    "%(count)s instalments): waiting for the customer's signature.",
                    total=format_amount(self.env, total, currency),
                    count=count,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return plan

    def _get_auto_approval_refusals(self):
        """Why the company's rules do not approve this request at once (empty: approved).
        One ``_match``-style check per rule; can be inherited (the legal addon adds its own)."""
        self.ensure_one()
        company = self.company_id
        reasons = []
        if not company.portal_plan_auto_approve:
            reasons.append(self.env._("requests are approved by a collector"))
        instalments = self.instalment_ids.sorted("date")
        company_currency = company.currency_id
        total = self.currency_id._convert(
            self._items_residual_python(), company_currency, company, fields.Date.context_today(self)
        )
        smallest = min(instalments.mapped("amount")) if instalments else 0.0
        smallest = self.currency_id._convert(
            smallest, company_currency, company, fields.Date.context_today(self)
        )
        if len(instalments) > company.portal_plan_max_instalments:
            reasons.append(
                self.env._("more than %(count)s instalments", count=company.portal_plan_max_instalments)
            )
        if company_currency.compare_amounts(smallest, company.portal_plan_min_instalment) < 0:
            reasons.append(
                self.env._(
                    "instalments below %(amount)s",
                    amount=format_amount(self.env, company.portal_plan_min_instalment, company_currency),
                )
            )
        if (
            instalments
            and (instalments[-1].date - fields.Date.context_today(self)).days > company.portal_plan_max_days
        ):
            reasons.append(self.env._("longer than %(days)s days", days=company.portal_plan_max_days))
        if (
            company.portal_plan_max_amount
            and company_currency.compare_amounts(total, company.portal_plan_max_amount) > 0
        ):
            reasons.append(
                self.env._(
                    "more than %(amount)s",
                    amount=format_amount(self.env, company.portal_plan_max_amount, company_currency),
                )
            )
        position = self.partner_id.with_company(company).credit_position_id
        if company.portal_plan_exclude_blocked and position.status == "blocked":
            reasons.append(self.env._("the customer's credit is blocked"))
        if position.has_legal_case:
            reasons.append(self.env._("the customer is in legal collection"))
        return reasons

    def _portal_sign(self, name, signature):
        """The customer signs an approved plan: it becomes active (its usual effects follow) and the
        signed agreement is kept as a PDF."""
        self.ensure_one()
        if self.request_state != "approved" or self.state != "draft":
            raise UserError(self.env._("This payment plan cannot be signed."))
        if not (name or "").strip() or not signature:
            raise UserError(self.env._("Sign with your name and your signature."))
        self.write(
            {
                "signature": signature,
                "signed_by": name.strip(),
                "signed_on": fields.Datetime.now(),
                "request_state": "signed",
            }
        )
        self.action_confirm()
        self.agreement_attachment_id = self._render_agreement()
        self.message_post(
            body=self.env._("Payment plan signed on the portal by %(name)s.", name=self.signed_by),
            attachment_ids=self.agreement_attachment_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _render_agreement(self):
        """The plan's agreement as a PDF attachment of the plan."""
        self.ensure_one()
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(lang=self.partner_id.lang)
            .with_company(self.company_id)
            ._render_qweb_pdf("recouvrement_credit.recouvrement_payment_plan_report", self.ids)
        )
        return self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.pdf",
                "datas": base64.b64encode(pdf),
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    @api.model
    def _demo_portal_request(self, contact_id, company_id, count):
        """Demo: CONTACT asks on the portal to pay its customer's open invoices in COUNT monthly
        instalments, the first in a week; the company's rules decide whether it waits."""
        contact = self.env["res.partner"].browse(contact_id)
        company = self.env["res.company"].browse(company_id)
        lines = self.env["account.move.line"].search(
            [
                *self.env["account.move.line"]._get_open_receivable_domain(),
                ("partner_id", "child_of", contact.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("amount_residual", ">", 0),
            ]
        )
        date_first = fields.Date.add(fields.Date.context_today(self), days=7)
        return self.with_company(company)._portal_request(contact, company, lines, count, date_first, "month")

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_approve_request(self):
        """A collector approves a portal request: the customer is asked to sign it."""
        if any(plan.request_state != "pending" or plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only payment plan requests waiting for approval can be approved."))
        self.write({"request_state": "approved"})
        for plan in self:
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            plan.message_post(
                body=self.env._(
                    "Your payment plan request %(plan)s is approved: sign it on the portal to put it "
                    "in force.",
                    plan=plan.name,
                )
                + (f"\n{plan.request_reply}" if plan.request_reply else ""),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_reject_request(self):
        """A collector rejects a portal request, with a message to the customer."""
        if any(plan.request_state != "pending" or plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only payment plan requests waiting for approval can be rejected."))
        if any(not plan.request_reply for plan in self):
            raise UserError(self.env._("Write the reply to the customer before rejecting the request."))
        self.write({"request_state": "rejected"})
        self.action_cancel()
        for plan in self:
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            plan.message_post(
                body=self.env._(
                    "Your payment plan request %(plan)s is rejected: %(reply)s",
                    plan=plan.name,
                    reply=plan.request_reply,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True
