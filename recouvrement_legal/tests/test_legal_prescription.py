from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalPrescription(LegalCommon):
    def _old_invoice(self, invoice_date, partner=None, amount=1000.0, delivery_date=None):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date + timedelta(days=30),
                "delivery_date": delivery_date,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    def _event(self, invoice, kind, day, **values):
        return self.env["recouvrement.legal.prescription.event"].create(
            {"move_id": invoice.id, "kind": kind, "date": day, **values}
        )

    def test_periods_by_customer_type(self):
        b2b = self._old_invoice(date(2022, 3, 10))
        self.assertEqual(b2b.legal_prescription_years, 5, "L110-4 C. com.")
        self.assertEqual(b2b.legal_prescription_date, date(2027, 3, 10))
        consumer = self.env["res.partner"].create({"name": "Jean Martin", "is_company": False})
        b2c = self._old_invoice(date(2022, 3, 10), partner=consumer)
        self.assertEqual(b2c.legal_prescription_years, 2, "L218-2 C. conso.")
        self.assertEqual(b2c.legal_prescription_date, date(2024, 3, 10))

    def test_start_is_the_earlier_of_delivery_and_invoice_date(self):
        invoice = self._old_invoice(date(2022, 3, 10), delivery_date=date(2022, 2, 28))
        self.assertEqual(invoice.legal_prescription_start, date(2022, 2, 28))
        self.assertEqual(invoice.legal_prescription_date, date(2027, 2, 28))
        invoice.legal_prescription_start = date(2022, 2, 1)  # editable
        self.assertEqual(invoice.legal_prescription_date, date(2027, 2, 1))

    def test_acknowledgement_interrupts_a_formal_notice_does_not(self):
        invoice = self._old_invoice(date(2021, 9, 1))
        self.assertEqual(invoice.legal_prescription_date, date(2026, 9, 1))
        self._event(invoice, "formal_notice", date(2024, 1, 15))
        self.assertEqual(
            invoice.legal_prescription_date, date(2026, 9, 1), "a formal notice does not interrupt"
        )
        self._event(invoice, "partial_payment", date(2025, 1, 10))
        self.assertEqual(invoice.legal_prescription_date, date(2030, 1, 10), "a new 5-year period")

    def test_court_action_from_the_procedure_interrupts(self):
        invoice = self._old_invoice(date(2021, 9, 1))
        case = self._open_case(invoice)
        self._procedure(
            case,
            self.ip,
            date_filed=date(2026, 1, 5),
            date_decision=date(2026, 1, 20),
            decision="granted",
            date_service=date(2026, 3, 2),
            service_type="person",
        )
        self.assertEqual(invoice.legal_prescription_date, date(2031, 3, 2), "service of the injonction")

    def test_enforceable_title_gives_ten_years(self):
        invoice = self._old_invoice(date(2021, 9, 1))
        self._event(invoice, "title", date(2026, 5, 4))
        self.assertEqual(invoice.legal_prescription_date, date(2036, 5, 4), "L111-4 CPCE")

    def test_nothing_revives_a_prescribed_claim(self):
        invoice = self._old_invoice(date(2020, 1, 15))
        self.assertEqual(invoice.legal_prescription_date, date(2025, 1, 15))
        self._event(invoice, "acknowledgement", date(2025, 3, 1))
        self.assertEqual(invoice.legal_prescription_date, date(2025, 1, 15))

    def test_suspension_adds_its_length(self):
        invoice = self._old_invoice(date(2021, 9, 1))
        self._event(invoice, "suspension", date(2024, 2, 1), date_end=date(2024, 3, 2))
        self.assertEqual(invoice.legal_prescription_date, date(2026, 10, 1), "30 days of mediation added")
        with self.assertRaisesRegex(ValidationError, "cannot end"):
            self._event(invoice, "suspension", date(2024, 2, 1), date_end=date(2024, 1, 2))

    def test_customer_case_and_list_show_the_end_date(self):
        soon = self._old_invoice(date(2021, 8, 1))
        later = self._old_invoice(date(2024, 8, 1))
        self.assertEqual(self.customer.legal_prescription_date, date(2026, 8, 1))
        case = self._open_case(soon, later)
        self.assertEqual(min(case.move_ids.mapped("legal_prescription_date")), date(2026, 8, 1))
        prescribing = self.env["account.move"].search(
            [("id", "in", (soon | later).ids), ("legal_prescription_date", "<=", TODAY + timedelta(days=90))]
        )
        self.assertEqual(prescribing, soon)

    def test_dunning_proposes_the_handover_of_items_prescribing_soon(self):
        self._old_invoice(date(2021, 8, 1))  # prescribed on 1 August 2026, 47 days after the run
        communication = self._run()
        self.assertNotEqual(communication.level_id.propose_legal, True)
        self.assertTrue(communication.legal_prescribing)
        self.assertEqual(communication.legal_handover, "proposed")
        self.assertEqual(communication.activity_ids.user_id, self.manager)
        other = self.env["res.partner"].create(
            {"name": "Client Récent", "is_company": True, "email": "compta@recent.example.com"}
        )
        self._invoice(500.0, days_late=10, partner=other)
        fresh = self._run(TODAY + timedelta(days=1)).filtered(lambda c: c.partner_id == other)
        self.assertTrue(fresh)
        self.assertFalse(fresh.legal_handover)

    def test_partial_payment_interrupts(self):
        invoice = self._old_invoice(date(2021, 9, 1))
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        wizard.create({"amount": 100.0, "payment_date": date(2025, 2, 3)})._create_payments()
        self.assertEqual(invoice.legal_prescription_date, date(2030, 2, 3), "a partial payment acknowledges")
