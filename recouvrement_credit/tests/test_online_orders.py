from freezegun import freeze_time

from odoo.tests import tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOnlineOrders(CreditCommon):
    """Orders a blocked customer signs or pays on the portal are never lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule("over_limit")
        cls.portal_user = cls._new_user("portal_customer", "base.group_portal")
        cls.portal_user.partner_id = cls.customer
        cls.company.credit_manager_id = cls.manager
        # confirmation emails need a sender: Odoo 18 takes it from the company's alias domain
        cls.company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "test.example", "default_from": "notifications", "bounce_alias": "bounce"}
        )
        cls.env.user.partner_id.email = "comptabilite@test.example"

    def setUp(self):
        super().setUp()
        self._invoice(900)

    def _sign_on_portal(self, order):
        # what sale's portal controller does after the signature, as the customer with sudo
        order.with_user(self.portal_user).sudo()._validate_order()

    def test_signed_order_of_a_blocked_customer_is_held_for_review(self):
        order = self._order(300)
        order.action_quotation_sent()
        self._sign_on_portal(order)
        self.assertEqual(order.state, "sent")
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("blocked customer", activity.summary)
        message = order.message_ids.filtered(lambda m: "held for credit review" in (m.body or ""))
        self.assertEqual(message.partner_ids, self.salesman.partner_id)

    def test_signed_order_within_the_limit_is_confirmed(self):
        order = self._order(50)
        self._sign_on_portal(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.activity_ids)

    def test_order_paid_in_full_online_is_confirmed(self):
        order = self._order(300)
        provider = self.env["payment.provider"].create({"name": "Test", "code": "none", "state": "test"})
        method = self.env.ref("payment.payment_method_unknown")
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": "TX-ONLINE-1",
                "sale_order_ids": [(6, 0, order.ids)],
            }
        )
        self.customer.email = "boulangerie@test.example"  # authors the payment's message
        transaction._set_done()
        transaction._check_amount_and_confirm_order()
        self.assertEqual(order.state, "sale")
