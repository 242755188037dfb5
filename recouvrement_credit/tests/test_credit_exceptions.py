from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.res_partner import CREDIT_MANAGER_FIELDS
from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditExceptions(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule("over_limit")

    def setUp(self):
        super().setUp()
        self._invoice(900)

    def _exception(self, **values):
        return (
            self.env["recouvrement.credit.exception"]
            .with_user(self.manager)
            .create({"partner_id": self.customer.id, "reason": "Client historique", **values})
        )

    def test_manager_gets_the_wizard_and_granting_confirms_the_order(self):
        order = self._order(300)
        action = order.with_user(self.manager).action_confirm()
        self.assertEqual(action["res_model"], "recouvrement.credit.exception.grant")
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        wizard.reason = "Commande urgente validée par la direction"
        wizard.save().action_grant()
        self.assertEqual(order.state, "sale")
        exception = self.env["recouvrement.credit.exception"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(exception.granted_by_id, self.manager)
        for record in (order, self.customer, exception):
            self.assertTrue(
                any("Commande urgente" in body for body in record.message_ids.mapped("body")),
                f"no log on {record.display_name}",
            )

    def test_document_exception_covers_that_document_only(self):
        order, other = self._order(300), self._order(300)
        self._exception(scope="document", document_ref=f"sale.order,{order.id}")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            other.with_user(self.salesman).action_confirm()

    def test_partner_exception_expires_by_itself(self):
        self._exception(scope="partner", date_end="2026-06-20")
        first = self._order(150)  # exposure 1050: over the limit, let through
        first.with_user(self.salesman).action_confirm()
        self.assertEqual(first.state, "sale")
        with freeze_time("2026-06-21"), self.assertRaises(UserError):
            self._order(50).with_user(self.salesman).action_confirm()

    def test_partner_exception_up_to_an_exposure(self):
        self._exception(scope="partner", date_end="2026-12-31", amount_max=1300)
        within = self._order(300)  # exposure 1200
        within.with_user(self.salesman).action_confirm()
        self.assertEqual(within.state, "sale")
        with self.assertRaises(UserError):
            self._order(200).with_user(self.salesman).action_confirm()  # exposure 1400

    def test_exceptions_are_never_deleted_but_can_be_revoked(self):
        exception = self._exception(scope="partner", date_end="2026-12-31")
        with self.assertRaises(UserError):
            exception.with_user(self.manager).unlink()
        exception.with_user(self.manager).action_revoke()
        self.assertFalse(exception.is_valid)
        with self.assertRaises(UserError):
            self._order(300).with_user(self.salesman).action_confirm()

    def test_bad_exceptions_are_refused(self):
        with self.assertRaises(ValidationError):
            self._exception(scope="partner")  # no end date
        with self.assertRaises(ValidationError):
            self._exception(scope="document")  # no document
        with self.assertRaises(ValidationError):
            self._exception(scope="partner", date_end="2026-12-31", amount_max=-1)

    def test_only_credit_managers_grant_exceptions_and_change_limits(self):
        for user in (self.salesman, self.collector):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["recouvrement.credit.exception"].with_user(user).create(
                        {
                            "partner_id": self.customer.id,
                            "scope": "partner",
                            "date_end": "2026-12-31",
                            "reason": "x",
                        }
                    )
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).write({"credit_limit": 99999})
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).write({"credit_blocked": True})
                self.assertEqual(self.customer.with_user(user).credit_limit, 1000.0)  # they read it
        self.customer.with_user(self.manager).credit_limit = 5000
        self.assertEqual(self.customer.credit_limit, 5000)

    def test_credit_settings_are_tracked(self):
        # the test base class disables mail tracking, so this checks the declaration
        tracked = self.env["res.partner"]._track_get_fields()
        self.assertEqual(CREDIT_MANAGER_FIELDS - {"use_partner_credit_limit"} - tracked, set())
        self.assertIn("active", self.env["recouvrement.credit.exception"]._track_get_fields())

    def test_blocked_salesperson_sees_why_on_the_quotation(self):
        self._invoice(200)  # exposure 1100 over a limit of 1000
        order = self._order(300)
        self._position()
        self.assertEqual(order.with_user(self.salesman).credit_status, "blocked")
        self.assertIn("credit limit", order.with_user(self.salesman).credit_warning)

    def test_models_secured(self):
        self.assert_models_secured("recouvrement_credit")
