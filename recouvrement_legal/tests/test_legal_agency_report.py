from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalAgencyReport(LegalCommon):
    """The collection agency's reports back: the commission from the mandate's rate becomes a cost
    of the case, what it collected is booked on 467200 against the customer's 411 and recovered."""

    chart_template = "fr"
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create({"name": "Recouvrement Express", "is_company": True})
        cls.invoice = cls._invoice(cls, 2000.0, days_late=60)
        cls.case = cls._open_case(cls, cls.invoice)
        cls.case.party_ids = [Command.create({"partner_id": cls.agency.id, "role": "agency"})]
        cls.handover = cls._procedure(
            cls,
            cls.case,
            cls.env.ref("recouvrement_legal.legal_procedure_agency"),
            date_filed=date(2026, 5, 2),
            commission_rate=15.0,
        )

    def _report(self, **values):
        return self.env["recouvrement.legal.agency.report"].create(
            {"procedure_id": self.handover.id, "date": date(2026, 6, 1), **values}
        )

    def test_commission_is_a_cost_of_the_case(self):
        report = self._report(
            outcome="partial",
            amount_collected=400.0,
            note="Debtor paid part, promises the rest",
            attachment_ids=[Command.create({"name": "report.pdf", "raw": b"%PDF-1.4 report"})],
        )
        self.assertEqual((report.agency_id, report.commission_rate), (self.agency, 15.0))
        self.assertEqual(report.amount_commission, 60.0)
        cost = report.cost_id
        self.assertEqual(
            (cost.case_id, cost.kind, cost.amount, cost.bearer, cost.partner_id),
            (self.case, "agency", 60.0, "creditor", self.agency),
        )
        self.assertEqual(self.case.amount_costs, 60.0)
        self.assertEqual(self.case.amount_costs_charged, 0.0, "the commission is never charged to the debtor")
        self.assertEqual(self.case.amount_agency_collected, 400.0)
        self.assertEqual(report.attachment_ids.name, "report.pdf")
        self.assertIn(report, self.case.agency_report_ids)
        report.commission_rate = 10.0
        self.assertEqual(cost.amount, 40.0)
        second = self._report(outcome="ongoing")
        self.assertFalse(second.cost_id, "no commission on nothing collected")
        report.unlink()
        self.assertFalse(cost.exists())
        self.assertEqual(self.case.amount_costs, 0.0)

    def test_collection_booked_and_recovered(self):
        report = self._report(outcome="partial", amount_collected=500.0)
        report.action_book_collection()
        move = report.move_id
        balances = {}
        for line in move.line_ids:
            balances[line.account_id.code] = balances.get(line.account_id.code, 0.0) + line.balance
        self.assertEqual(balances, {"467200": 500.0, "411100": -500.0})
        self.assertEqual(self.invoice.amount_residual, 1500.0)
        self.assertEqual((self.case.amount_recovered, self.case.amount_principal), (500.0, 1500.0))
        self.assertEqual(self.case.amount_net_recovery, 425.0, "500 recovered - 75 commission")
        with self.assertRaisesRegex(UserError, "booked"):
            report.amount_collected = 600.0
        with self.assertRaisesRegex(UserError, "already booked"):
            report.action_book_collection()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            report.unlink()

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._report(amount_collected=-10.0)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._report(amount_collected=10.0, commission_rate=120.0)
        claim = self._procedure(self.case, self.merits)
        with self.assertRaisesRegex(ValidationError, "agency handover"):
            self.env["recouvrement.legal.agency.report"].create({"procedure_id": claim.id})
        report = self._report(amount_collected=2500.0)
        with self.assertRaisesRegex(ValidationError, "only 2,000.00"):
            report.action_book_collection()
        self.assertFalse(report.move_id)
        self.assertEqual(self.invoice.amount_residual, 2000.0)

    def test_access(self):
        report = self._report(outcome="partial", amount_collected=100.0)
        Report = self.env["recouvrement.legal.agency.report"]
        self.assertEqual(Report.with_user(self.collector).search([]), report, "collectors read every case")
        with self.assertRaises(AccessError):
            Report.with_user(self.collector).create(
                {"procedure_id": self.handover.id, "amount_collected": 5.0}
            )
        with self.assertRaises(AccessError):
            Report.with_user(self.salesman).create(
                {"procedure_id": self.handover.id, "amount_collected": 5.0}
            )
        self.case.user_id = self.collector
        mine = Report.with_user(self.collector).create(
            {"procedure_id": self.handover.id, "amount_collected": 5.0}
        )
        self.assertEqual(mine.amount_commission, 0.75)
