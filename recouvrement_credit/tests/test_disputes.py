from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDisputes(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.disputes = cls.env["recouvrement.dispute"]

    def _dispute(self, invoice, **values):
        return self.disputes.with_user(self.collector).create({"move_id": invoice.id, **values})

    def test_open_dispute_defaults_and_logs_on_invoice(self):
        invoice = self._invoice(1000, days_late=10)
        self._pay(400, invoice=invoice)
        dispute = self._dispute(invoice, category="quality")
        self.assertRecordValues(
            dispute,
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "amount_disputed": 600.0,
                    "state": "open",
                    "user_id": self.collector.id,
                    "date_opened": TODAY,
                }
            ],
        )
        self.assertRegex(dispute.name, r"^LIT/2026/\d{4}$")
        self.assertIn(dispute.name, invoice.message_ids[0].body)
        self.assertTrue(invoice.has_open_dispute)
        self.assertEqual(invoice.dispute_count, 1)

    def test_one_open_dispute_per_invoice(self):
        invoice = self._invoice(1000)
        first = self._dispute(invoice)
        with self.assertRaisesRegex(ValidationError, "already has an open dispute"):
            self._dispute(invoice)
        first.resolution_note = "Goods delivered as ordered."
        first.with_user(self.collector).action_reject()
        self.assertEqual(first.state, "rejected")
        self.assertTrue(self._dispute(invoice))

    def test_disputed_amount_is_bounded(self):
        invoice = self._invoice(1000)
        with self.assertRaisesRegex(ValidationError, "at most the invoice total"):
            self._dispute(invoice, amount_disputed=1000.01)
        with self.assertRaises(ValidationError):
            self._dispute(invoice, amount_disputed=0)
        draft = self._invoice(500, post=False)
        with self.assertRaisesRegex(ValidationError, "Only posted customer invoices"):
            self._dispute(draft)

    def test_resolve_by_credit_note_through_the_reversal_wizard(self):
        invoice = self._invoice(1000)
        dispute = self._dispute(invoice, category="price", amount_disputed=200)
        action = dispute.action_create_credit_note()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard = (
            self.env["account.move.reversal"]
            .with_context(**action["context"])
            .create({"journal_id": invoice.journal_id.id})
        )
        wizard.refund_moves()
        credit_note = wizard.new_move_ids
        self.assertRecordValues(
            dispute,
            [
                {
                    "state": "resolved",
                    "resolution": "credit_note",
                    "credit_note_id": credit_note.id,
                    "date_closed": TODAY,
                }
            ],
        )
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertIn("closed", invoice.message_ids[0].body)

    def test_resolve_and_reject_need_a_reason(self):
        invoice = self._invoice(1000)
        dispute = self._dispute(invoice).with_user(self.collector)
        with self.assertRaisesRegex(UserError, "Choose how"):
            dispute.action_resolve()
        dispute.resolution = "credit_note"
        with self.assertRaisesRegex(UserError, "Link the credit note"):
            dispute.action_resolve()
        with self.assertRaisesRegex(UserError, "reason for rejecting"):
            dispute.action_reject()
        self.assertEqual(dispute.state, "open")
        dispute.write({"resolution": "other", "resolution_note": "Commercial gesture on the next order."})
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")
        with self.assertRaises(UserError):
            dispute.action_reject()

    def test_position_counts_open_disputes(self):
        first, second = self._invoice(1000), self._invoice(500)
        self._dispute(first)
        dispute = self._dispute(second)
        self.assertEqual(self._position().open_dispute_count, 2)
        dispute.resolution_note = "Unfounded."
        dispute.action_reject()
        self.assertEqual(self._position().open_dispute_count, 1)

    def test_never_deleted_and_salesman_reads_only(self):
        dispute = self._dispute(self._invoice(1000))
        with self.assertRaises(AccessError):
            dispute.with_user(self.collector).unlink()
        with self.assertRaises(UserError):
            dispute.sudo().unlink()  # not even the system deletes a dispute
        self.assertEqual(dispute.with_user(self.salesman).read(["state"])[0]["state"], "open")
        with self.assertRaises(AccessError):
            dispute.with_user(self.salesman).write({"category": "price"})

    def test_smart_buttons(self):
        invoice = self._invoice(1000)
        action = invoice.with_user(self.collector).action_open_dispute()
        self.assertEqual(action["context"]["default_move_id"], invoice.id)
        dispute = self._dispute(invoice)
        self.assertEqual(invoice.action_view_disputes()["res_id"], dispute.id)
        self.assertEqual(self.customer.with_user(self.salesman).dispute_count, 1)
        self.assertEqual(
            self.customer.action_view_disputes()["domain"], [("partner_id", "=", self.customer.id)]
        )

    def test_forms_open_for_collectors_and_salespeople(self):
        invoice = self._invoice(1000)
        self._dispute(invoice)
        for user in (self.collector, self.salesman, self.manager):
            invoice_form = Form(invoice.with_user(user))
            self.assertEqual(invoice_form.dispute_count, 1)
            partner_form = Form(self.customer.with_user(user))
            self.assertEqual(partner_form.dispute_count, 1)
        with Form(self.disputes.with_user(self.collector)) as form:
            form.move_id = self._invoice(300)
            self.assertEqual(form.amount_disputed, 300.0)
            form.category = "not_received"
        self.assertEqual(form.save().state, "open")

    def test_other_company_disputes_are_hidden(self):
        other = self.setup_other_company()["company"]
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, amounts=[500], post=True, company=other, invoice_date=TODAY
        )
        dispute = self.disputes.with_company(other).create({"move_id": invoice.id})
        self.assertEqual(dispute.company_id, other)
        self.assertFalse(self.disputes.with_user(self.collector).search([("id", "=", dispute.id)]))
        self._invoice(100)
        self.assertRecordValues(self._position(), [{"open_dispute_count": 0}])
        self.assertEqual(self._position(company=other).open_dispute_count, 1)
