import re

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY
from odoo.addons.recouvrement_credit.tests.dunning_common import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPortalReminders(DunningCommon):
    """Every reminder email carries a new link to the customer's statement; letters print it."""

    def test_reminder_email_carries_a_working_link(self):
        self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        self._send(communication)
        body = communication.dispatch_ids.message_id.body
        token = re.search(r"/collections/([\w-]+)", body).group(1)
        link = self.env["recouvrement.portal.link"]._resolve(token)
        self.assertEqual((link.partner_id, link.company_id), (self.customer, self.company))
        self.assertEqual(link.communication_id, communication)
        self.assertEqual(self.customer.portal_link_count, 1)

    def test_failure_note_carries_no_link(self):
        self.customer.email = False
        self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        self._send(communication)
        notes = communication.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))
        self.assertTrue(notes)
        self.assertFalse(any("/collections/" in (note.body or "") for note in notes))

    def test_letter_link(self):
        self._invoice(300.0, days_late=1)
        communication = self._run(TODAY)
        values = communication._get_portal_letter_link()
        self.assertTrue(values["qr"].startswith("data:image/png;base64,"))
        self.assertEqual(communication._get_portal_letter_link(), values, "the same link each time it prints")
        self.assertEqual(communication._get_portal_payment_url(), values["url"], "letters' pay online line")
        token = values["url"].rsplit("/", 1)[1]
        link = self.env["recouvrement.portal.link"]._resolve(token)
        self.assertEqual((link.partner_id, link.communication_id), (self.customer, communication))
