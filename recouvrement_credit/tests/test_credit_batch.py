"""Confirming many documents at once decides on all of them in a constant number of queries."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestBatchDecisions(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule("over_limit")
        cls._rule("overdue_days", days=30)
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Client {index}", "is_company": True} for index in range(6)]
        )
        cls.customers.credit_limit = 1000.0

    def setUp(self):
        super().setUp()
        first, second, third, fourth, *__ = self.customers
        # over the limit, each with an exception covering the customer
        for customer in (first, second):
            self._invoice(900.0, partner=customer)
            self.env["recouvrement.credit.exception"].with_user(self.manager).create(
                {
                    "partner_id": customer.id,
                    "scope": "partner",
                    "date_end": TODAY + timedelta(days=10),
                    "reason": "Client historique",
                }
            )
        self._invoice(900.0, partner=third)  # over the limit, no exception
        self._invoice(100.0, days_late=40, partner=fourth)  # an invoice 40 days late
        self.orders = self.env["sale.order"].browse(
            [self._order(300.0, partner=customer).id for customer in self.customers]
        )
        for customer in self.customers:
            self._position(customer)
        self.env.cr.precommit.run()

    def _decide(self, orders):
        """The blocked orders among ORDERS and the queries it took, caches cold."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        blocked = orders.with_user(self.salesman)._get_credit_blocked()
        return [order for order, _reasons in blocked], self.env.cr.sql_log_count - before

    def test_many_documents_cost_as_many_queries_as_one(self):
        self._decide(self.orders)  # fills the registry's caches (access rules, groups) once
        blocked, one = self._decide(self.orders[:1])
        self.assertFalse(blocked, "its exception lets the order through")
        blocked, many = self._decide(self.orders)
        self.assertEqual(blocked, list(self.orders[2:4]), "over the limit; 40 days late")
        self.assertEqual(many, one, f"{len(self.orders)} orders cost as many queries as one")

    def test_batch_decides_as_one_by_one(self):
        one_by_one = [self.orders.browse(order.id)._get_credit_blocked() for order in self.orders]
        batch = self.orders._get_credit_blocked()
        self.assertEqual(batch, [result[0] for result in one_by_one if result])
        self.assertIn("credit limit", batch[0][1][0])
        self.assertIn("more than 30 days", batch[1][1][0])
