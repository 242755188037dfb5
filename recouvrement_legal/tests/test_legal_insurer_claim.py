from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalInsurerClaim(LegalCommon):
    """The credit-insurer claim on the French chart: the notification deadline that loses the cover,
    filed / indemnified / refused, the indemnity booked on 467100 against the customer's 411."""

    chart_template = "fr"
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Assureur Crédit SA", "is_company": True, "legal_insurer_notice_days": 90}
        )
        cls.customer.with_company(cls.company).write(
            {"credit_insurer_id": cls.insurer.id, "credit_insurance_policy": "POL-42"}
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": date(2026, 3, 1),
                "invoice_date_due": date(2026, 3, 31),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "price_unit": 1000.0,
                            "tax_ids": cls.company_data["default_tax_sale"].ids,
                        }
                    )
                ],
            }
        )
        cls.invoice.action_post()
        cls.case = cls._open_case(cls, cls.invoice)
        cls.claim = cls.case.procedure_ids.filtered(lambda p: p.type_id == cls.insurer_claim)
        cls.notification = cls.claim.deadline_ids

    def _balances(self, move):
        result = {}
        for line in move.line_ids:
            result[line.account_id.code] = result.get(line.account_id.code, 0.0) + line.balance
        return result

    def _file(self, day=date(2026, 6, 20)):
        with freeze_time(day):
            self.claim.action_insurer_file()

    def test_notification_deadline_cannot_be_missed(self):
        self.assertEqual((self.claim.insurer_id, self.claim.insurer_policy), (self.insurer, "POL-42"))
        self.assertEqual(self.notification.date_deadline, date(2026, 6, 29), "due 31 March + 90 days")
        self.assertTrue(self.notification.critical)
        activity = self.notification.activity_id
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_warning"))
        self.assertEqual(activity.date_deadline, date(2026, 6, 14), "due from the alert, 15 days before")
        self.assertIn("Right at stake", activity.summary)
        with freeze_time(date(2026, 6, 1)):
            self.case.invalidate_recordset(["critical_deadline_warning"])
            self.assertFalse(self.case.critical_deadline_warning)
        with freeze_time(date(2026, 6, 20)):
            self.case.invalidate_recordset(["critical_deadline_warning"])
            self.assertIn("Right at stake", self.case.critical_deadline_warning or "")
        alerts = self.env["recouvrement.legal.deadline"].search(
            [("critical", "=", True), ("state", "=", "pending"), ("date_alert", "<=", date(2026, 6, 20))]
        )
        self.assertIn(self.notification, alerts, "in the agenda's 'Rights at Stake' in alert")

    def test_filing_meets_the_deadline(self):
        self._file()
        self.assertEqual(self.notification.state, "met")
        self.assertFalse(self.notification.activity_id.exists())
        self.assertEqual(self.claim.insurer_state, "filed")
        self.assertEqual(self.claim.date_filed, date(2026, 6, 20))
        self.assertEqual(self.claim.amount_insurer_claimed, 1200.0)
        self.assertEqual(self.claim.step_id.name, "Claim filed")

    def test_missed_notification(self):
        with freeze_time(date(2026, 6, 30)):
            self.Case._cron_update_amounts()
            self.assertEqual(self.notification.state, "missed")
            self.case.invalidate_recordset(["critical_deadline_warning"])
            self.assertTrue(self.case.critical_deadline_warning, "still shown on the case once missed")

    def test_indemnity_booked_and_recovered(self):
        self._file()
        self.claim.write({"amount_indemnity": 1080.0, "date_indemnity": date(2026, 7, 15)})
        self.claim.action_insurer_indemnify()
        move = self.claim.indemnity_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(self._balances(move), {"467100": 1080.0, "411100": -1080.0})
        self.assertEqual(
            move.line_ids.filtered(lambda l: l.account_id.code == "467100").partner_id, self.insurer
        )
        self.assertTrue(self.company.legal_insurer_account_id.reconcile)
        self.assertEqual(self.invoice.amount_residual, 120.0, "the uncovered share stays due")
        self.assertEqual(
            (self.case.amount_insurer, self.case.amount_recovered, self.case.amount_principal),
            (1080.0, 1080.0, 120.0),
        )
        self.assertIn(move, self.case.accounting_move_ids)
        self.assertEqual((self.claim.insurer_state, self.claim.state), ("indemnified", "succeeded"))

    def test_indemnity_after_reclassification_credits_416(self):
        self.case._reclassify_doubtful(date(2026, 6, 1))
        self._file()
        self.claim.write({"amount_indemnity": 600.0, "date_indemnity": date(2026, 7, 15)})
        self.claim.action_insurer_indemnify()
        self.assertEqual(self._balances(self.claim.indemnity_move_id), {"467100": 600.0, "416100": -600.0})
        self.assertEqual(self.case.amount_principal, 600.0)

    def test_bad_input_changes_nothing(self):
        self.claim.amount_indemnity = 100.0
        with self.assertRaisesRegex(UserError, "filed with the insurer before"):
            self.claim.action_insurer_indemnify()
        self._file()
        self.claim.amount_indemnity = 5000.0
        with self.assertRaisesRegex(ValidationError, "only 1,200.00"):
            self.claim.action_insurer_indemnify()
        self.assertFalse(self.claim.indemnity_move_id)
        self.assertEqual(self.invoice.amount_residual, 1200.0)
        with self.assertRaises(ValidationError):
            self.claim.amount_indemnity = -1.0
        with self.assertRaisesRegex(UserError, "reason"):
            self.claim.action_insurer_refuse()
        self.assertEqual(self.claim.insurer_state, "filed")

    def test_refused_claim(self):
        self._file()
        self.claim.insurer_refusal_reason = "Notified after the policy's delay"
        self.claim.action_insurer_refuse()
        self.assertEqual((self.claim.insurer_state, self.claim.state), ("refused", "failed"))
        self.assertIn("Notified after the policy", self.case.message_ids[0].body)
        self.assertEqual(self.case.amount_insurer, 0.0)
