from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
class TestCollectionsKpi(ReportingCommon):
    """KPIs of April to June 2026 on a ledger computed by hand: invoiced 70,000 on 10 April (due
    10 May, 38,000 paid on 5 May), 80,000 on 15 May (due 30 June), 100,000 on 20 June (due 20 July)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        april = cls._invoice_on(70000.0, date(2026, 4, 10), date(2026, 5, 10))
        cls._invoice_on(80000.0, date(2026, 5, 15), date(2026, 6, 30))
        cls._invoice_on(100000.0, date(2026, 6, 20), date(2026, 7, 20))
        cls._pay_on(april, 38000.0, date(2026, 5, 5))
        kpi = cls.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30), "company_id": cls.company.id}
        )
        cls.months = {values["month"].month: values for values in kpi._get_monthly_values()}

    def test_receivables_and_sales(self):
        june = self.months[6]
        self.assertEqual(sorted(self.months), [4, 5, 6])
        self.assertAlmostEqual(june["credit_sales"], 100000.0)
        self.assertAlmostEqual(june["ar"], 212000.0)  # 32,000 + 80,000 + 100,000
        self.assertAlmostEqual(june["current_ar"], 180000.0)  # due 30 June (not late yet) and 20 July

    def test_dso(self):
        june = self.months[6]
        self.assertAlmostEqual(june["dso_simple"], 63.6)  # 212,000 / 100,000 × 30
        # countback: June's 100,000 (30 days), May's 80,000 (31 days), then 32,000 / 70,000 × 30 days
        self.assertAlmostEqual(june["dso_countback"], 30 + 31 + 32000 / 70000 * 30)
        self.assertAlmostEqual(june["best_dso"], 61.0)  # 180,000: June and May in full
        self.assertAlmostEqual(june["add"], 32000 / 70000 * 30)
        self.assertAlmostEqual(self.months[4]["dso_countback"], 30.0)

    def test_cei_and_overdue_share(self):
        # May: opening 70,000 + sales 80,000 − closing 112,000, over 70,000 + 80,000 − current 80,000
        self.assertAlmostEqual(self.months[5]["cei"], 38000 / 70000 * 100)
        self.assertAlmostEqual(self.months[6]["cei"], 0.0)  # nothing collected in June
        self.assertAlmostEqual(self.months[6]["overdue_share"], 32000 / 212000 * 100)

    def test_screen_and_bad_period(self):
        kpi = self.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30), "company_id": self.company.id}
        )
        action = kpi.with_user(self.collector).action_open()
        lines = self.env["recouvrement.collections.kpi.line"].search(action["domain"])
        self.assertEqual(len(lines), 3)
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            kpi.date_to = date(2026, 3, 1)
