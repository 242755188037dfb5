from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalProcedures(LegalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls, 3000.0, days_late=30)
        cls.case = cls.Case._open_for_items(
            cls.invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        )

    def test_injunction_served_in_person(self):
        ip = self._procedure(self.case, self.ip, date_filed=date(2026, 1, 5))
        self.assertEqual(ip.court_type, "commerce", "a business goes to the tribunal de commerce")
        self.assertEqual(ip.cerfa, "12946")
        self.assertFalse(ip.deadline_ids, "nothing runs before the ordinance")
        ip.write({"date_decision": date(2026, 1, 20), "decision": "granted"})
        service = self._deadline(ip, "legal_procedure_injunction_rule_service")
        self.assertEqual(service.date_deadline, date(2026, 7, 20), "6 months, art. 1411 CPC")
        self.assertEqual(service.state, "pending")
        self.assertEqual(service.activity_id.user_id, self.manager)
        self.assertEqual(service.activity_id.date_deadline, date(2026, 7, 20))
        self.assertEqual(self.case.next_deadline_date, date(2026, 7, 20))
        ip.write({"date_service": date(2026, 3, 2), "service_type": "person"})
        self.assertEqual(service.state, "met")
        self.assertFalse(service.activity_id.exists())
        opposition = self._deadline(ip, "legal_procedure_injunction_rule_opposition")
        self.assertEqual(opposition.date_deadline, date(2026, 4, 2), "1 month from service, art. 1416 CPC")
        self.assertEqual(opposition.party, "debtor")
        event = self.invoice.legal_prescription_event_ids
        self.assertEqual((event.kind, event.date), ("court_action", date(2026, 3, 2)))
        ip.date_title = date(2026, 4, 10)
        self.assertTrue(self.case.has_enforceable_title)
        self.assertIn("title", self.invoice.legal_prescription_event_ids.mapped("kind"))

    def test_injunction_not_served_in_person(self):
        ip = self._procedure(
            self.case,
            self.ip,
            date_filed=date(2026, 1, 5),
            date_decision=date(2026, 1, 20),
            decision="granted",
            date_service=date(2026, 3, 2),
            service_type="domicile",
        )
        opposition = self._deadline(ip, "legal_procedure_injunction_rule_opposition")
        self.assertFalse(opposition.date_deadline, "runs only from an act served in person (art. 1416 al. 2)")
        ip.date_first_personal_act = date(2026, 4, 10)
        opposition = self._deadline(ip, "legal_procedure_injunction_rule_opposition")
        self.assertEqual(opposition.date_deadline, date(2026, 5, 11), "10 May 2026 is a Sunday")
        self.assertTrue(opposition.non_working_end)

    def test_rejected_injunction_cancels_the_service_deadline(self):
        ip = self._procedure(
            self.case,
            self.ip,
            date_filed=date(2026, 1, 5),
            date_decision=date(2026, 1, 20),
            decision="granted",
        )
        service = self._deadline(ip, "legal_procedure_injunction_rule_service")
        ip.decision = "rejected"
        self.assertEqual(service.state, "cancelled")
        self.assertFalse(service.activity_id.exists())

    def test_dates_in_the_wrong_order_are_refused(self):
        ip = self._procedure(self.case, self.ip, date_filed=date(2026, 1, 5), date_decision=date(2026, 1, 20))
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            ip.date_service = date(2026, 1, 10)
        self.assertFalse(ip.date_service)
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            self._procedure(
                self.case, self.garnishment, date_execution=date(2026, 6, 10), date_notice=date(2026, 6, 1)
            )

    def test_small_claims_procedure_limited_to_5000(self):
        big = self._invoice(4800.0, days_late=30)
        self.case.line_ids = [Command.create({"move_line_id": big.line_ids.filtered(lambda a: a.debit).id})]
        self.assertEqual(self.case.amount_principal, 7800.0)
        count = self.env["recouvrement.legal.procedure"].search_count([])
        with self.assertRaisesRegex(ValidationError, "limited to claims of"):
            self._procedure(self.case, self.psrpc, date_filed=date(2026, 6, 1))
        self.assertEqual(self.env["recouvrement.legal.procedure"].search_count([]), count, "nothing created")
        small = self._procedure(self.case, self.psrpc, date_filed=date(2026, 6, 1), amount_claimed=4999.0)
        answer = self._deadline(small, "legal_procedure_small_claims_rule_answer")
        self.assertEqual(answer.date_deadline, date(2026, 7, 1))

    def test_claim_on_the_merits_warns_about_the_lawyer(self):
        procedure = self._procedure(self.case, self.merits, amount_claimed=12000.0)
        self.assertIn("lawyer is compulsory", procedure.lawyer_warning)
        procedure.amount_claimed = 9000.0
        self.assertFalse(procedure.lawyer_warning)

    def test_garnishment_notice_and_challenge(self):
        seizure = self._procedure(self.case, self.garnishment, date_execution=date(2026, 6, 10))
        notice = self._deadline(seizure, "legal_procedure_garnishment_rule_notice")
        self.assertEqual(notice.date_deadline, date(2026, 6, 18), "8 days, R211-3 CPCE")
        seizure.date_notice = date(2026, 6, 20)
        self.assertEqual(notice.state, "missed", "notified too late: the seizure is void")
        challenge = self._deadline(seizure, "legal_procedure_garnishment_rule_challenge")
        self.assertEqual(challenge.date_deadline, date(2026, 7, 20), "1 month, R211-11 CPCE")
        self.assertIn("enforcement", self.invoice.legal_prescription_event_ids.mapped("kind"))

    def test_conservatory_seizure_needs_proceedings_within_a_month(self):
        seizure = self._procedure(self.case, self.conservatory, date_execution=date(2026, 3, 31))
        title = self._deadline(seizure, "legal_procedure_conservatory_rule_title")
        self.assertEqual(title.date_deadline, date(2026, 4, 30), "R511-7 CPCE, 31st → 30th")

    def test_insolvency_claim_declaration(self):
        declaration = self._procedure(self.case, self.insolvency, date_publication=date(2026, 3, 31))
        deadline = self._deadline(declaration, "legal_procedure_insolvency_rule_declaration")
        self.assertEqual(deadline.date_deadline, date(2026, 6, 1), "31 May 2026 is a Sunday")
        forclusion = self._deadline(declaration, "legal_procedure_insolvency_rule_forclusion")
        self.assertEqual(forclusion.date_deadline, date(2026, 9, 30))
        declaration.creditor_abroad = True
        self.assertEqual(deadline.date_deadline, date(2026, 7, 31), "doubled for creditors abroad")
        declaration.date_filed = date(2026, 5, 20)
        self.assertEqual(deadline.state, "met")
        self.assertIn("insolvency_claim", self.invoice.legal_prescription_event_ids.mapped("kind"))

    def test_credit_insurer_notification_delay(self):
        insurer = self.env["res.partner"].create(
            {"name": "Assureur Crédit", "is_company": True, "legal_insurer_notice_days": 90}
        )
        self.customer.with_company(self.company).credit_insurer_id = insurer
        claim = self._procedure(self.case, self.insurer_claim)
        self.assertEqual(claim.date_reference, self.invoice.invoice_date_due)
        deadline = self._deadline(claim, "legal_procedure_insurer_rule_notification")
        self.assertEqual(deadline.date_deadline, date(2026, 8, 14), "due 16 May + 90 days")

    def test_missed_deadlines_are_flagged_by_the_daily_job(self):
        seizure = self._procedure(self.case, self.garnishment, date_execution=date(2026, 6, 10))
        notice = self._deadline(seizure, "legal_procedure_garnishment_rule_notice")
        with freeze_time(date(2026, 6, 17)):
            self.Case._cron_update_amounts()
        self.assertEqual(notice.state, "pending")
        alerts = self.env["recouvrement.legal.deadline"].search(
            [("state", "=", "pending"), ("date_alert", "<=", date(2026, 6, 17))]
        )
        self.assertIn(notice, alerts, "in alert 3 days before")
        with freeze_time(date(2026, 6, 19)):
            self.Case._cron_update_amounts()
        self.assertEqual(notice.state, "missed")
        self.assertFalse(notice.activity_id.exists())
        self.assertIn("Deadline missed", self.case.message_ids[0].body)

    def test_closing_the_case_cancels_its_deadlines(self):
        seizure = self._procedure(self.case, self.garnishment, date_execution=date(2026, 6, 10))
        self.case._close("paid")
        self.assertEqual(
            seizure.deadline_ids.mapped("state"), ["cancelled", "cancelled"][: len(seizure.deadline_ids)]
        )


@tagged("post_install", "-at_install")
class TestLegalAutomaticProcedures(LegalCommon):
    def test_insured_customer_gets_the_insurer_claim_with_the_case(self):
        insurer = self.env["res.partner"].create(
            {"name": "Assureur Crédit", "is_company": True, "legal_insurer_notice_days": 60}
        )
        self.customer.with_company(self.company).credit_insurer_id = insurer
        invoice = self._invoice(2000.0, days_late=30)
        case = self._open_case(invoice)
        claim = case.procedure_ids.filtered(lambda p: p.type_id == self.insurer_claim)
        deadline = self._deadline(claim, "legal_procedure_insurer_rule_notification")
        self.assertEqual(deadline.date_deadline, invoice.invoice_date_due + timedelta(days=60))
        self.assertEqual(deadline.activity_id.user_id, case.user_id)

    def test_insolvent_customer_gets_the_claim_declaration_with_the_case(self):
        self.customer.write(
            {
                "recouvrement_insolvency": True,
                "legal_insolvency_judgment_date": date(2026, 3, 20),
                "legal_insolvency_publication_date": date(2026, 3, 31),
            }
        )
        case = self._open_case(self._invoice(2000.0, days_late=100))
        declaration = case.procedure_ids.filtered(lambda p: p.type_id == self.insolvency)
        deadline = self._deadline(declaration, "legal_procedure_insolvency_rule_declaration")
        self.assertEqual(deadline.date_deadline, date(2026, 6, 1))
