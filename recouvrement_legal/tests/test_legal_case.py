from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalCase(LegalCommon):
    def test_open_from_invoices_freezes_the_opening_amounts(self):
        first, second = self._invoice(1000.0, days_late=60), self._invoice(500.0, days_late=40)
        case = self._open_case(first, second)
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.user_id, self.manager, "the company's credit manager owns new cases")
        self.assertTrue(case.name.startswith("CTX/"))
        self.assertEqual(case.amount_opening, 1500.0)
        self._pay(300.0, invoice=first)
        self.assertEqual(case.amount_opening, 1500.0, "frozen at opening")
        self.assertEqual(case.amount_principal, 1200.0, "live residuals")
        self.assertEqual(case.amount_recovered, 300.0)
        self.assertEqual(sorted(case.line_ids.mapped("amount_opening")), [500.0, 1000.0])
        self.assertEqual(first.legal_case_id, case)

    def test_interest_and_indemnity_come_from_the_penalty_computation(self):
        self.company.late_payment_policy_id = self.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        invoice = self._invoice(1000.0, days_late=60)
        case = self._open_case(invoice)
        with freeze_time(TODAY):
            case._update_penalties(TODAY)
            penalty = invoice.get_late_payment_penalty(TODAY)
        self.assertGreater(penalty["interest"], 0.0)
        self.assertEqual(case.amount_interest, penalty["interest"])
        self.assertEqual(case.amount_indemnity, penalty["indemnity"])
        self.assertEqual(case.amounts_date, TODAY)
        self.assertAlmostEqual(case.amount_balance, 1000.0 + penalty["interest"] + penalty["indemnity"])

    def test_costs_balance_and_ratios(self):
        invoice = self._invoice(1000.0, days_late=60)
        case = self._open_case(invoice)
        case.cost_ids = [
            Command.create({"kind": "commissaire", "amount": 80.0, "bearer": "debtor"}),
            Command.create({"kind": "lawyer", "amount": 300.0, "bearer": "awarded"}),
            Command.create({"kind": "agency", "amount": 20.0, "bearer": "creditor"}),
        ]
        self._pay(500.0, invoice=invoice)
        self.assertEqual(case.amount_costs, 400.0)
        self.assertEqual(case.amount_costs_charged, 380.0)
        self.assertEqual(case.amount_balance, 500.0 + 380.0)
        self.assertEqual(case.amount_net_recovery, 100.0)
        self.assertEqual(case.recovery_rate, 50.0)
        self.assertEqual(case.cost_ratio, 80.0)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            case.cost_ids = [Command.create({"kind": "other", "amount": -1.0})]

    def test_an_item_is_in_one_open_case_only(self):
        invoice = self._invoice(1000.0, days_late=60)
        self._open_case(invoice)
        with self.assertRaisesRegex(UserError, "already in a case"):
            self._open_case(invoice)

    def test_an_item_added_by_hand_to_a_second_open_case_is_refused(self):
        invoice = self._invoice(1000.0, days_late=60)
        case = self._open_case(invoice)
        other = self.Case.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(ValidationError, "already in the open legal case"):
            other.line_ids = [Command.create({"move_line_id": case.line_ids.move_line_id.id})]
        self.assertFalse(other.line_ids)

    def test_open_from_a_customer_and_from_selected_invoices(self):
        self._invoice(1000.0, days_late=60)
        self._invoice(200.0, days_late=5)
        action = self.customer.action_open_legal_case()
        case = self.Case.browse(action["res_id"])
        self.assertEqual(case.amount_opening, 1200.0)
        self.assertEqual(self.customer.legal_case_count, 1)
        other = self.env["res.partner"].create({"name": "Garage Test", "is_company": True})
        invoices = self._invoice(300.0, days_late=30, partner=other) | self._invoice(
            100.0, days_late=30, partner=other
        )
        invoices.action_open_legal_case()
        self.assertEqual(self.Case.search([("partner_id", "=", other.id)]).amount_opening, 400.0)

    def test_items_of_an_open_case_leave_the_dunning_run(self):
        in_case = self._invoice(1000.0, days_late=20)
        reminded = self._invoice(300.0, days_late=20)
        self._open_case(in_case)
        communications = self._run()
        self.assertEqual(communications.line_ids.move_id, reminded)

    def test_insolvency_stops_the_dunning_of_debts_born_before_the_judgment(self):
        self._invoice(1000.0, days_late=20)  # invoiced 50 days ago
        after = self._invoice(300.0, days_late=5)  # invoiced 35 days ago
        self.customer.write(
            {"recouvrement_insolvency": True, "legal_insolvency_judgment_date": TODAY - timedelta(days=40)}
        )
        self.assertEqual(self._run().line_ids.move_id, after)

    def test_insolvency_stops_the_penalties_of_debts_born_before_the_judgment(self):
        self.company.late_payment_policy_id = self.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        before = self._invoice(1000.0, days_late=20)
        with freeze_time(TODAY):
            self.assertGreater(before.get_late_payment_penalty(TODAY)["interest"], 0.0)
            self.customer.write(
                {
                    "recouvrement_insolvency": True,
                    "legal_insolvency_judgment_date": TODAY - timedelta(days=40),
                }
            )
            penalty = before.get_late_payment_penalty(TODAY)
        self.assertEqual((penalty["interest"], penalty["indemnity"]), (0.0, 0.0))

    def test_position_rule_and_risk_factor_see_the_case(self):
        self._rule("legal_case", sale_effect="block")
        invoice = self._invoice(100.0, days_late=60)
        self.assertFalse(self._position().has_legal_case)
        case = self._open_case(invoice)
        position = self._position()
        self.assertTrue(position.has_legal_case)
        self.assertEqual(position.status, "blocked")
        self.assertIn("legal case", position.reasons)
        grade_with_case = position.risk_grade
        case._close("abandoned", "Not worth it")
        position = self._position()
        self.assertFalse(position.has_legal_case)
        self.assertEqual(position.status, "ok")
        self.assertLess(position.risk_grade, grade_with_case, "the legal-case factor no longer weighs")

    def test_closing_requires_a_reason(self):
        case = self._open_case(self._invoice(100.0, days_late=60))
        wizard = self.env["recouvrement.legal.case.close"].create({"case_ids": case.ids})
        with self.assertRaisesRegex(ValidationError, "closed with a reason"):
            wizard.action_close()
        self.assertEqual(case.state, "open")
        with self.assertRaisesRegex(ValidationError, "Unknown closing reason"):
            case._close("bored")
        wizard.reason = "settled"
        wizard.note = "Agreement signed"
        wizard.action_close()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.close_reason, "settled")
        self.assertTrue(case.stage_id.is_closed)
        with self.assertRaisesRegex(UserError, "already closed"):
            case._close("paid")
        case.action_reopen()
        self.assertEqual(case.state, "open")
        self.assertFalse(case.close_reason)

    def test_closing_date_cannot_precede_the_opening(self):
        case = self._open_case(self._invoice(100.0, days_late=60))
        with self.assertRaisesRegex(ValidationError, "cannot close before it opened"):
            case._close("paid", date=case.date_open - timedelta(days=1))
        self.assertEqual(case.state, "open")

    def test_handover_from_dunning_end_to_end(self):
        invoice = self._invoice(800.0, days_late=50)
        item = invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        item.write({"dunning_level_id": self.levels[30].id, "dunning_date": TODAY - timedelta(days=20)})
        communication = self._run()
        self.assertEqual(communication.level_id, self.levels[45])
        self.assertEqual(communication.state, "to_review")
        communication.with_user(self.collector).action_approve()
        self.assertEqual(communication.legal_handover, "proposed")
        activity = communication.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        action = communication.with_user(self.manager).action_open_legal_case()
        case = self.Case.browse(action["res_id"])
        self.assertEqual(case.communication_id, communication)
        self.assertEqual(case.line_ids.move_id, invoice)
        self.assertEqual(communication.legal_handover, "opened")
        self.assertFalse(communication.activity_ids, "the activity is done")
        with self.assertRaisesRegex(UserError, "already opened"):
            communication.action_open_legal_case()
        self.assertFalse(self._run(TODAY + timedelta(days=30)), "the case follows the items now")


@tagged("post_install", "-at_install")
class TestLegalCaseAccess(LegalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_collector = cls._new_user("collector2", "recouvrement_credit.group_user")
        cls.customer.user_id = cls.salesman
        cls.case = cls.Case._open_for_items(
            cls._invoice(cls, 500.0, days_late=60).line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
            )
        )
        cls.case.user_id = cls.collector
        other = cls.env["res.partner"].create({"name": "Hors Secteur", "is_company": True})
        cls.other_case = cls.Case._open_for_items(
            cls._invoice(cls, 300.0, days_late=60, partner=other).line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
            )
        )

    def test_owner_changes_the_case_other_collectors_read_it(self):
        self.case.with_user(self.collector).write({"description": "<p>Call the lawyer</p>"})
        self.case.with_user(self.collector).cost_ids = [Command.create({"kind": "court", "amount": 35.21})]
        self.assertEqual(self.case.with_user(self.other_collector).amount_costs, 35.21)
        with self.assertRaises(AccessError):
            self.case.with_user(self.other_collector).write({"description": "<p>no</p>"})
        self.other_case.with_user(self.manager).write({"description": "<p>manager</p>"})

    def test_salesperson_reads_only_their_customers_cases(self):
        cases = self.Case.with_user(self.salesman).search([])
        self.assertEqual(cases, self.case)
        with self.assertRaises(AccessError):
            self.case.with_user(self.salesman).write({"description": "<p>no</p>"})

    def test_multi_company(self):
        company_b = self.setup_other_company(name="Société B")["company"]
        user_b = new_test_user(
            self.env,
            login="collector_b",
            groups="recouvrement_credit.group_manager",
            company_id=company_b.id,
            company_ids=company_b.ids,
        )
        self.assertFalse(self.Case.with_user(user_b).search([]))
        with self.assertRaises(UserError):  # the company check or ours, whichever comes first
            self.Case.create(
                {
                    "company_id": company_b.id,
                    "partner_id": self.customer.id,
                    "line_ids": [Command.create({"move_line_id": self.case.line_ids.move_line_id.id})],
                }
            )
