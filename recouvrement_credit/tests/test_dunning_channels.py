import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningChannels(DunningCommon):
    def test_email_is_posted_and_logged_on_customer_and_invoice(self):
        invoice = self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        self._send(communication)
        dispatch = communication.dispatch_ids
        self.assertEqual(dispatch.channel, "email")
        self.assertEqual(dispatch.state, "sent")
        self.assertEqual(dispatch.recipient, self.customer.email)
        self.assertIn(invoice.name, dispatch.message_id.body)
        self.assertIn(self.customer, dispatch.message_id.partner_ids)
        self.assertEqual(communication.state, "sent")
        self.assertIn(communication.name, invoice.message_ids[0].body)
        self.assertIn(communication.name, self.customer.message_ids[0].body)

    def test_invoicing_contact_receives_it(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "compta@b.example.com",
            }
        )
        self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        self.assertEqual(communication.contact_id, contact)
        self._send(communication)
        self.assertEqual(communication.dispatch_ids.recipient, "compta@b.example.com")

    def test_no_email_falls_back_to_a_letter_with_the_reason(self):
        self.customer.email = False
        self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        self._send(communication)
        email, letter = communication.dispatch_ids.sorted("id")
        self.assertEqual((email.channel, email.state), ("email", "failed"))
        self.assertIn("has no email address", email.failure_reason)
        self.assertEqual((letter.channel, letter.state, letter.fallback_of_id), ("letter", "sent", email))
        self.assertTrue(letter.attachment_id)
        self.assertEqual(communication.state, "sent")
        self.assertTrue(
            any("has no email address" in body for body in communication.message_ids.mapped("body"))
        )

    def test_several_channels_on_one_level(self):
        """J+15: an email and a letter recalling the penalties."""
        self._invoice(500.0, days_late=15)
        for run_day in (TODAY - timedelta(days=14), TODAY - timedelta(days=8), TODAY):
            communication = self._run(run_day)
        self.assertEqual(communication.level_id, self.levels[15])
        self.assertEqual(sorted(communication.dispatch_ids.mapped("channel")), ["email", "letter"])
        self._send(communication)
        self.assertEqual(set(communication.dispatch_ids.mapped("state")), {"sent"})
        self.assertIn(
            "L441-10", communication.dispatch_ids.filtered(lambda d: d.channel == "email").message_id.body
        )

    def test_phone_call_task_and_outcome(self):
        collector = self.collector
        self.customer.with_company(self.company).dunning_collector_id = collector
        self._invoice(500.0, days_late=7)
        self._run(TODAY - timedelta(days=6))
        communication = self._run(TODAY)
        self.assertEqual(communication.level_id, self.levels[7])
        self.assertEqual(communication.user_id, collector)
        self._send(communication)
        call = communication.dispatch_ids
        self.assertEqual(call.state, "to_call")
        activity = communication.activity_ids
        self.assertEqual(activity.user_id, collector)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        with self.assertRaises(UserError):
            call.action_log_call()  # no outcome yet
        call.write({"call_outcome": "promised", "call_note": "Paiement vendredi"})
        call.with_user(collector).action_log_call()
        self.assertEqual(call.state, "sent")
        self.assertFalse(communication.activity_ids, "the task is done")

    def test_quiet_hours_defer_calls_and_sms(self):
        self._invoice(500.0, days_late=7)
        self._run(TODAY - timedelta(days=6))
        communication = self._run(TODAY)
        self._send(communication, hour=22)
        self.assertEqual(communication.dispatch_ids.state, "queued", "no call at 22:00")
        self._send(communication, hour=9)
        self.assertEqual(communication.dispatch_ids.state, "to_call")

    def test_registered_letter_needs_tracking_and_proof(self):
        self._invoice(500.0, days_late=30)
        for run_day in (-29, -23, -15, 0):
            communication = self._run(TODAY + timedelta(days=run_day))
        self.assertEqual(communication.level_id, self.levels[30])
        self._send(communication)
        registered = communication.dispatch_ids.filtered(lambda d: d.channel == "registered_letter")
        self.assertEqual(registered.state, "awaiting_proof")
        self.assertEqual(communication.state, "sent", "the letter has left; its proof comes later")
        with self.assertRaises(UserError):
            registered.action_confirm_delivery()
        proof = self.env["ir.attachment"].create(
            {"name": "AR.pdf", "datas": base64.b64encode(b"%PDF-1.4 proof")}
        )
        registered.write({"tracking_number": "1A00123456789", "proof_attachment_id": proof.id})
        registered.action_confirm_delivery()
        self.assertEqual(registered.state, "sent")

    def test_review_queue(self):
        """J+45 waits for a collector: approving sends it, cancelling puts the items back."""
        invoice = self._invoice(500.0, days_late=45)
        for run_day in (-44, -38, -30, -15, 0):
            communication = self._run(TODAY + timedelta(days=run_day))
        self.assertEqual(communication.level_id, self.levels[45])
        self.assertEqual(communication.state, "to_review")
        self._send(communication)
        self.assertEqual(communication.dispatch_ids.state, "queued", "nothing leaves before the review")
        item = invoice.line_ids.filtered("date_maturity")
        communication.action_cancel()
        self.assertEqual(communication.state, "cancelled")
        self.assertEqual(item.dunning_level_id, self.levels[30], "back to the level it had")
        again = self._run(TODAY + timedelta(days=5))
        self.assertEqual(again.state, "to_review")
        again.action_approve()
        self.assertEqual(again.state, "queued")
        self.assertIn("proposed for legal action", self.customer.message_ids[0].body)
        self._send(again, day=TODAY + timedelta(days=5))
        self.assertEqual(again.dispatch_ids.state, "to_call")


@tagged("post_install", "-at_install")
class TestDunningConfiguration(DunningCommon):
    def _scenario(self, levels):
        return self.env["recouvrement.dunning.scenario"].create(
            {"name": "Test", "level_ids": [(0, 0, values) for values in levels]}
        )

    def _level(self, offset, **values):
        return {
            "name": f"J{offset:+d}",
            "day_offset": offset,
            "sequence": offset,
            "channel_phone": True,
            **values,
        }

    def test_offsets_must_increase(self):
        with self.assertRaisesRegex(ValidationError, "strictly increase"):
            self._scenario([self._level(10), self._level(5, sequence=20)])
        with self.assertRaisesRegex(ValidationError, "strictly increase"):
            self._scenario([self._level(10), self._level(10, sequence=20)])

    def test_level_needs_a_channel_and_its_template(self):
        with self.assertRaisesRegex(ValidationError, "at least one channel"):
            self._scenario([self._level(1, channel_phone=False)])
        with self.assertRaisesRegex(ValidationError, "email template"):
            self._scenario([self._level(1, channel_email=True)])
        with self.assertRaisesRegex(ValidationError, "a letter"):
            self._scenario([self._level(1, channel_letter=True)])

    def test_template_must_exist_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        template = self.env.ref("recouvrement_credit.mail_template_dunning_reminder").copy()
        scenario = self._scenario([self._level(1, channel_email=True, mail_template_id=template.id)])
        self.customer.lang = "de_DE"
        with self.assertRaisesRegex(ValidationError, "no text in"):
            self.customer.with_company(self.company).dunning_scenario_id = scenario
        template.with_context(lang="de_DE").body_html = "<p>Zahlungserinnerung</p>"
        self.customer.with_company(self.company).dunning_scenario_id = scenario

    def test_scenario_by_risk_grade(self):
        strategic = self.env.ref("recouvrement_credit.dunning_scenario_strategic")
        strategic.write({"risk_grade_from": "A", "risk_grade_to": "B"})
        with freeze_time(TODAY):
            self._invoice(500.0, days_late=3)
            position = self._position()
            self.assertIn(position.risk_grade, ("A", "B"))
            communication = self._run(TODAY)
        self.assertEqual(communication.scenario_id, strategic)
        with self.assertRaisesRegex(ValidationError, "reversed"):
            strategic.write({"risk_grade_from": "D", "risk_grade_to": "B"})

    def test_bad_company_settings(self):
        with self.assertRaises(ValidationError):
            self.company.dunning_contact_hour_to = 7.0
        with self.assertRaises(ValidationError):
            self.company.dunning_tolerance_amount = -1


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningPenalties(DunningCommon):
    def test_formal_notice_invoices_penalties_and_fees(self):
        self.customer.is_company = True
        formal_notice = self.levels[30]
        formal_notice.write({"apply_penalties": True, "fee_amount": 15.0, "channel_email": False})
        invoice = self._invoice(1000.0, days_late=30)
        for run_day in (-29, -23, -15, 0):
            communication = self._run(TODAY + timedelta(days=run_day))
        self.assertEqual(communication.level_id, formal_notice)
        penalty_invoice = self.env["account.move"].search(
            [("is_late_payment_invoice", "=", True), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(penalty_invoice), 1, "reaching the level invoices the penalties")
        self._send(communication)
        self.assertEqual(invoice.formal_notice_date, TODAY, "the formal notice is dated on the invoice")
        breakdown = invoice.get_late_payment_penalty(TODAY)
        self.assertEqual(breakdown["fees"][0]["amount"], 15.0, "the level's fee, once sent")
        self.assertIn(communication.name, breakdown["fees"][0]["label"])

    def test_missing_rate_does_not_stop_dunning(self):
        """Penalties cannot be computed without the semester's rate: the reminder still goes, with
        the reason on it."""
        self.customer.is_company = True
        self.levels[30].apply_penalties = True
        self.env["recouvrement.legal.rate"].search([("date_from", ">=", "2026-01-01")]).unlink()
        self._invoice(1000.0, days_late=30)
        for run_day in (-29, -23, -15, 0):
            communication = self._run(TODAY + timedelta(days=run_day))
        self.assertEqual(communication.level_id, self.levels[30])
        self.assertTrue(
            any("penalties not invoiced" in body for body in communication.message_ids.mapped("body"))
        )
