"""Fixtures for the credit-control tests: a company using credit limits, customers, and helpers
that build invoices, orders and payments the way users do, at dates the tests choose."""

from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import RecouvrementTestMixin

TODAY = date(2026, 6, 15)


class CreditCommon(RecouvrementTestMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.account_use_credit_limit = True
        cls.currency = cls.company.currency_id
        cls.customer = cls.env["res.partner"].create({"name": "Boulangerie Test", "is_company": True})
        cls.customer.credit_limit = 1000.0
        cls.positions = cls.env["recouvrement.credit.position"]
        cls.rules = cls.env["recouvrement.credit.rule"]
        # The installed policy is the tests' starting point; each test adds what it checks.
        cls.rules.search([]).active = False
        cls.manager = cls._new_user(
            "credit_manager", "recouvrement_credit.group_manager,sales_team.group_sale_salesman_all_leads"
        )
        cls.collector = cls._new_user("collector", "recouvrement_credit.group_user")
        cls.salesman = cls._new_user(
            "salesman", "sales_team.group_sale_salesman,account.group_account_invoice"
        )

    @contextmanager
    def assertRaisesRegex(self, expected_exception, expected_regex, msg=None):
        """Odoo's assertRaises (in a savepoint, so that what the failed operation wrote is rolled
        back, as it is for users), with the message matched."""
        with self.assertRaises(expected_exception, msg=msg) as context:
            yield context
        self.assertRegex(str(context.exception), expected_regex)

    @classmethod
    def _new_user(cls, login, groups):

        return new_test_user(
            cls.env, login=login, groups=groups, company_id=cls.company.id, company_ids=cls.company.ids
        )

    @classmethod
    def _rule(cls, condition, **values):
        return cls.rules.create({"name": condition, "condition": condition, **values})

    def _invoice(self, amount, days_late=0, partner=None, post=True, currency=None, move_type="out_invoice"):
        """An invoice of AMOUNT (no tax) due DAYS_LATE days before TODAY."""
        due = TODAY - timedelta(days=days_late)
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": min(due - timedelta(days=30), TODAY),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "currency_id": (currency or self.currency).id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _order(self, amount, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "price_unit": amount, "tax_id": []})
                ],
            }
        )

    def _pay(self, amount, partner=None, invoice=None):
        """A customer payment, reconciled with INVOICE when given, unapplied otherwise."""
        if invoice:
            wizard = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
            return wizard.create({"amount": amount, "payment_date": TODAY})._create_payments()
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": (partner or self.customer).id,
                "amount": amount,
                "date": TODAY,
            }
        )
        payment.action_post()
        return payment

    def _position(self, partner=None, company=None):
        """Refresh and return the customer's position, as a commit would."""
        self.env.cr.precommit.run()
        company = company or self.company
        return (
            self.positions.with_company(company)
            ._refresh(partner or self.customer, company)
            .filtered(lambda p: p.company_id == company)
        )
