"""The sending job sends the emails and SMS of a batch together (one rendering per template, one
connection to the mail server, one call to the SMS provider), and one bad address still only fails
its own reminder."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import MockSMS
from odoo.addons.sms.tools.sms_api import SmsApi

from .credit_common import TODAY
from .dunning_common import DunningCommon

DISPATCH_LOGGER = "odoo.addons.recouvrement_credit.models.recouvrement_dunning_dispatch"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningBatchSending(DunningCommon, MockEmail, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.others = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client {n}",
                    "is_company": True,
                    "email": f"client{n}@example.com",
                    "mobile": f"+33 6 00 00 00 0{n}",
                    "street": f"{n} rue Haute",
                    "zip": "75002",
                    "city": "Paris",
                }
                for n in range(3)
            ]
        )
        cls.customers = cls.customer | cls.others

    def _reminders(self):
        for customer in self.customers:
            self._invoice(300.0, days_late=1, partner=customer)
        communications = self._run(TODAY)
        self.assertEqual(communications.partner_id, self.customers)
        return communications

    def test_each_reminder_gets_one_mail_in_one_connection(self):
        communications = self._reminders()
        with self.mock_mail_gateway():
            self._send(communications)
        dispatches = communications.dispatch_ids
        self.assertEqual(set(dispatches.mapped("state")), {"sent"})
        self.assertEqual(set(communications.mapped("state")), {"sent"})
        self.assertEqual(len(self._mails), len(communications), "one mail per reminder")
        self.assertEqual(
            sorted(mail["email_to"][0] for mail in self._mails),
            sorted(self.customers.mapped("email_formatted")),
        )
        self.assertEqual(self.connect_mocked.call_count, 1, "the batch's mails share one connection")
        for dispatch in dispatches:
            communication = dispatch.communication_id
            self.assertEqual(dispatch.recipient, communication.partner_id.email)
            self.assertTrue(dispatch.date_sent)
            self.assertEqual(dispatch.message_id.model, communication._name)
            self.assertEqual(
                dispatch.message_id.res_id, communication.id, "the email is in its reminder's chatter"
            )
            self.assertIn(communication.name, dispatch.message_id.subject)
            self.assertIn(communication.partner_id, dispatch.message_id.partner_ids)

    def test_bad_address_fails_alone_and_falls_back(self):
        self.others[1].email = "facturation-at-example.com"
        communications = self._reminders()
        with self.mock_mail_gateway():
            self._send(communications)
        bad = communications.filtered(lambda c: c.partner_id == self.others[1])
        email, letter = bad.dispatch_ids.sorted("id")
        self.assertEqual(email.state, "failed")
        self.assertIn("invalid email address", email.failure_reason)
        self.assertEqual((letter.channel, letter.state, letter.fallback_of_id), ("letter", "sent", email))
        self.assertTrue(any("invalid email address" in body for body in bad.message_ids.mapped("body")))
        good = communications - bad
        self.assertEqual(set(good.dispatch_ids.mapped("state")), {"sent"})
        self.assertEqual(
            sorted(mail["email_to"][0] for mail in self._mails),
            sorted(good.partner_id.mapped("email_formatted")),
            "the others are sent, each once",
        )

    def test_failing_batch_is_sent_one_by_one(self):
        """Should rendering the batch fail, each reminder goes through its own sending: nothing is lost."""
        communications = self._reminders()
        Dispatch = type(self.env["recouvrement.dunning.dispatch"])
        with (
            self.mock_mail_gateway(),
            patch.object(Dispatch, "_send_email_batch", autospec=True, side_effect=RuntimeError("boom")),
            self.assertLogs(DISPATCH_LOGGER, level="WARNING") as logs,
        ):
            self._send(communications)
        self.assertIn("sent one by one: boom", logs.output[0])
        self.assertEqual(set(communications.dispatch_ids.mapped("state")), {"sent"})
        self.assertEqual(len(self._mails), len(communications))
        self.assertEqual(
            len(communications.dispatch_ids.message_id), len(communications), "one message per reminder"
        )

    def test_sms_batch_in_one_provider_call(self):
        scenario = self.env["recouvrement.dunning.scenario"].create(
            {
                "name": "SMS",
                "level_ids": [
                    Command.create(
                        {
                            "name": "SMS J+1",
                            "day_offset": 1,
                            "channel_sms": True,
                            "sms_template_id": self.env.ref(
                                "recouvrement_credit.sms_template_dunning_reminder"
                            ).id,
                        }
                    )
                ],
            }
        )
        self.customers.with_company(self.company).dunning_scenario_id = scenario
        self.others[2].write({"mobile": False, "phone": False})
        communications = self._reminders()
        original = SmsApi._send_sms_batch
        with (
            self.mockSMSGateway(),
            patch.object(SmsApi, "_send_sms_batch", autospec=True, side_effect=original) as provider,
        ):
            self._send(communications)
        self.assertEqual(provider.call_count, 1, "one provider call for the batch")
        no_number = communications.filtered(lambda c: c.partner_id == self.others[2]).dispatch_ids
        self.assertEqual(no_number[:1].state, "failed")
        self.assertIn("no mobile number", no_number[:1].failure_reason)
        sent = (communications.dispatch_ids - no_number).filtered(lambda d: d.channel == "sms")
        self.assertEqual(len(sent), 3)
        self.assertEqual(set(sent.mapped("state")), {"sent"})
        self.assertEqual(sorted(sms["number"] for sms in self._sms), sorted(self._sanitized(sent)))
        for dispatch in sent:
            self.assertEqual(dispatch.message_id.message_type, "sms")
            self.assertEqual(dispatch.message_id.res_id, dispatch.communication_id.id)

    def _sanitized(self, dispatches):
        return [
            dispatch.communication_id.partner_id._phone_format(number=dispatch.recipient)
            for dispatch in dispatches
        ]
