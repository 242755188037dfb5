from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
class TestKpiRiskRecovery(ReportingCommon):
    """At-risk rate and recovery cost from April to June 2026, computed by hand, judged on
    10 September 2026 (90 days after 12 June).

    At risk: April invoices A 1,000 (10 April: 400 paid 20 May, 600 only on 1 August, after its 90
    days) and B 500 (25 April, never paid): 1,100 of 1,500 unpaid after 90 days. May: C 2,000 (5 May)
    paid in full on 1 July: 0 %. June: E 300 (5 June, unpaid: its 90 days ended on 3 September) is
    judged, D 800 (20 June, 90 days end on 18 September) is not yet.

    Recovery: penalty invoice P1 on 15 April (interest 120, indemnity 40, fee 25) paid 185 on 10 May;
    P2 on 20 May (interest 80), 50 paid on 5 June."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls._invoice_on(1000.0, date(2026, 4, 10), date(2026, 5, 10))
        cls._invoice_on(500.0, date(2026, 4, 25), date(2026, 5, 25))
        c = cls._invoice_on(2000.0, date(2026, 5, 5), date(2026, 6, 5))
        cls._invoice_on(300.0, date(2026, 6, 5), date(2026, 7, 5))
        cls._invoice_on(800.0, date(2026, 6, 20), date(2026, 7, 20))
        cls._pay_on(a, 400.0, date(2026, 5, 20))
        cls._pay_on(a, 600.0, date(2026, 8, 1))
        cls._pay_on(c, 2000.0, date(2026, 7, 1))
        p1 = cls._penalty_invoice(
            a, date(2026, 4, 15), [("interest", 120.0), ("indemnity", 40.0), ("fee", 25.0)]
        )
        p2 = cls._penalty_invoice(a, date(2026, 5, 20), [("interest", 80.0)])
        cls._pay_on(p1, 185.0, date(2026, 5, 10))
        cls._pay_on(p2, 50.0, date(2026, 6, 5))
        cls.kpi = cls.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30), "company_id": cls.company.id}
        )
        with freeze_time("2026-09-10"):
            cls.months = {values["month"].month: values for values in cls.kpi._get_monthly_values()}

    @classmethod
    def _penalty_invoice(cls, late, on_date, charges):
        """A posted penalty invoice for LATE charging CHARGES [(kind, amount)], as the dunning
        level's "apply penalties" writes it."""
        lines = [
            late._penalty_line(cls.product_a, f"{kind} {amount}", amount, kind, item=None)
            for kind, amount in charges
        ]
        Move = cls.env["account.move"]
        invoice = Move.create(
            Move._prepare_penalty_invoice_vals(cls.company, cls.customer, cls.currency, on_date, lines)
        )
        cls.env["recouvrement.penalty.charge"].create(
            [
                dict(charge, penalty_line_id=line.id)
                for line, (__, charge) in zip(invoice.invoice_line_ids.sorted("id"), lines, strict=True)
            ]
        )
        invoice.action_post()
        return invoice

    def test_at_risk_rate(self):
        april, may, june = self.months[4], self.months[5], self.months[6]
        # penalty invoices are invoices too: P1 185 (15 April, paid 10 May) is billed in April
        self.assertAlmostEqual(april["at_risk_billed"], 1500.0 + 185.0)
        self.assertAlmostEqual(april["at_risk_unpaid"], 600.0 + 500.0)
        self.assertAlmostEqual(april["at_risk_rate"], 1100 / 1685 * 100)
        # May: C paid in time; P2 80 (20 May) has 30 of 80 unpaid after 90 days
        self.assertAlmostEqual(may["at_risk_billed"], 2000.0 + 80.0)
        self.assertAlmostEqual(may["at_risk_rate"], 30 / 2080 * 100)
        # June: only E is judged
        self.assertAlmostEqual(june["at_risk_billed"], 300.0)
        self.assertAlmostEqual(june["at_risk_rate"], 100.0)

    def test_recovery_figures(self):
        april, may, june = self.months[4], self.months[5], self.months[6]
        self.assertAlmostEqual(april["penalties_invoiced"], 160.0)  # interest 120 + indemnity 40
        self.assertAlmostEqual(april["fees_invoiced"], 25.0)
        self.assertAlmostEqual(april["penalties_collected"], 0.0)
        self.assertAlmostEqual(may["penalties_invoiced"], 80.0)
        self.assertAlmostEqual(may["penalties_collected"], 185.0)
        self.assertAlmostEqual(june["penalties_collected"], 50.0)
        # no legal case: no legal cost and no doubtful debt (with or without the legal addon)
        self.assertEqual((june["legal_costs"], june["doubtful"], june["doubtful_share"]), (0.0, 0.0, 0.0))

    def test_screen_and_export_columns(self):
        with freeze_time("2026-09-10"):
            action = self.kpi.action_open()
        lines = self.env["recouvrement.collections.kpi.line"].search(action["domain"])
        april = lines.filtered(lambda line: line.month.month == 4)
        self.assertAlmostEqual(april.at_risk_rate, 1100 / 1685 * 100, places=1)
        self.assertAlmostEqual(april.fees_invoiced, 25.0)
        keys = [key for key, __, __ in self.kpi._get_xlsx_columns()]
        self.assertTrue({"at_risk_rate", "doubtful_share", "penalties_collected", "legal_costs"} <= set(keys))
