"""Fixtures of the portal tests: a customer company with two contacts (one a portal user), open
invoices overdue, partly paid and not due, a credit note; another customer with its own portal
user; another company of the database. Dates are relative to today: the HTTP server's clock cannot
be frozen, and no assertion depends on the day itself."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.recouvrement_credit.tests.common import RecouvrementTestMixin

# A 4x2 black PNG: what the signature pad sends.
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAC0lEQVR4nGNgwAUAABoAAbw84EEAAAAASUVORK5CYII="


class PortalCommon(AccountTestInvoicingCommon, RecouvrementTestMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.company = cls.company_data["company"]
        cls.collector = cls._new_collector(
            login="portal_collector", company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)]
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Client SA", "is_company": True, "email": "client@test.example"}
        )
        cls.customer.with_company(cls.company).dunning_collector_id = cls.collector
        cls.contact = cls.env["res.partner"].create(
            {"name": "Alice Compta", "parent_id": cls.customer.id, "email": "alice@test.example"}
        )
        cls.contact2 = cls.env["res.partner"].create(
            {"name": "Bob Achats", "parent_id": cls.customer.id, "email": "bob@test.example"}
        )
        cls.portal_user = cls._new_portal_user("alice", cls.contact)
        cls.other_customer = cls.env["res.partner"].create({"name": "Autre SARL", "is_company": True})
        cls.other_user = cls._new_portal_user("autre", cls.other_customer)

        # Alice's company owes: an invoice 40 days late, one addressed to Bob 10 days late and
        # partly paid, one not due yet; it has a credit note.
        cls.invoice_late = cls._invoice(cls.customer, 1000.0, -40)
        cls.invoice_bob = cls._invoice(cls.contact2, 600.0, -10)
        cls._pay(cls.invoice_bob, 200.0)
        cls.invoice_not_due = cls._invoice(cls.customer, 300.0, 20)
        cls.credit_note = cls.init_invoice(
            "out_refund", partner=cls.customer, amounts=[100.0], invoice_date=cls.today, post=True
        )
        cls.other_invoice = cls._invoice(cls.other_customer, 500.0, -5)

    @classmethod
    def _new_portal_user(cls, login, partner, company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            password=login + "_pwd",
            groups="base.group_portal",
            partner_id=partner.id,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _invoice(cls, partner, amount, due_in_days, company_data=None, currency=None):
        """A posted invoice of AMOUNT (no tax) due in DUE_IN_DAYS days (negative: overdue)."""
        company_data = company_data or cls.company_data
        due = cls.today + timedelta(days=due_in_days)
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company_data["company"].id,
                "journal_id": company_data["default_journal_sale"].id,
                "invoice_date": min(due, cls.today),
                "invoice_date_due": due,
                "currency_id": (currency or company_data["currency"]).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": cls.today}).action_create_payments()
