from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .reporting_common import ReportingCommon

TODAY = date(2026, 5, 20)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDashboardViews(ReportingCommon):
    """The stored views the Collections dashboard reads agree with the reports: receivables by age
    with the aged balance of today, the months with the KPIs, the funnel with the cure rates.

    Ledger: I1 1,000 invoiced 1 March due 31 March, paid 400 on 5 May; I2 500 invoiced 10 April due
    10 May; I3 300 invoiced 15 May due 14 June (not due). Reminders: I1 level 1 on 2 April, level 2
    on 4 May; I2 level 1 on 12 May."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.i1 = cls._invoice_on(1000.0, date(2026, 3, 1), date(2026, 3, 31))
        cls.i2 = cls._invoice_on(500.0, date(2026, 4, 10), date(2026, 5, 10))
        cls.i3 = cls._invoice_on(300.0, date(2026, 5, 15), date(2026, 6, 14))
        level_1 = cls.env.ref("recouvrement_credit.dunning_level_standard_1")
        level_2 = cls.env.ref("recouvrement_credit.dunning_level_standard_2")
        for day, level, move in (
            (date(2026, 4, 2), level_1, cls.i1),
            (date(2026, 5, 4), level_2, cls.i1),
            (date(2026, 5, 12), level_1, cls.i2),
        ):
            line = move.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
            # sudo: reminders are created by the dunning run only, the fixture stands in for it
            cls.env["recouvrement.dunning.communication"].sudo().create(
                {
                    "date": day,
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "currency_id": cls.currency.id,
                    "level_id": level.id,
                    "state": "sent",
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": line.id,
                                "move_id": move.id,
                                "level_id": level.id,
                                "advanced": True,
                                "amount_residual": line.balance,
                            }
                        )
                    ],
                }
            )
        cls._pay_on(cls.i1, 400.0, date(2026, 5, 5))

    def test_receivables_by_age_are_the_aged_balance_of_today(self):
        aging = self.env["recouvrement.receivable.aging"].with_user(self.collector)
        groups = aging._read_group(
            [("company_id", "=", self.company.id)], ["bucket_sequence", "bucket"], ["residual:sum"]
        )
        [expected] = self.env["recouvrement.aged.balance"].get_aged_balance(
            TODAY, "due", self.company, "company_id"
        )
        self.assertEqual({sequence: amount for sequence, _bucket, amount in groups}, expected["buckets"])
        # I1 600 (50 days late: 31–60), I2 500 (10 days: 1–30), I3 300 not due
        self.assertEqual(
            [(bucket, amount) for _sequence, bucket, amount in groups],
            [("Not due", 300.0), ("1–30 days", 500.0), ("31–60 days", 600.0)],
        )
        [(overdue,)] = aging._read_group([("overdue", "=", True)], [], ["residual_overdue:sum"])
        self.assertEqual(overdue, 1100.0)

    def test_months_are_the_kpis(self):
        months = self.env["recouvrement.collections.month"].with_user(self.collector)
        rows = months.search_read(
            [("company_id", "=", self.company.id)], ["month", "months_ago", "ar", "dso"]
        )
        self.assertEqual(len(rows), 14)
        self.assertEqual((rows[0]["month"], rows[0]["months_ago"]), (date(2025, 4, 1), 13))
        self.assertEqual((rows[-1]["month"], rows[-1]["months_ago"]), (date(2026, 5, 1), 0))
        kpi = self.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 3, 1), "date_to": date(2026, 4, 30), "company_id": self.company.id}
        )
        by_month = {row["month"]: row for row in rows}
        for values in kpi._get_monthly_values():
            self.assertAlmostEqual(by_month[values["month"]]["ar"], values["ar"])
            self.assertAlmostEqual(by_month[values["month"]]["dso"], values["dso_simple"])
        # March: AR 1,000, sales 1,000, 31 days; May so far (20 days): AR 1,400, sales 300
        self.assertAlmostEqual(by_month[date(2026, 3, 1)]["dso"], 31.0)
        self.assertAlmostEqual(by_month[date(2026, 5, 1)]["dso"], 1400.0 / 300.0 * 20)

    def test_funnel_is_the_cure_rates(self):
        funnel = self.env["recouvrement.dunning.funnel"].with_user(self.collector)
        rows = funnel.search_read(
            [("company_id", "=", self.company.id)], ["month", "level", "reminders", "reached", "cured"]
        )
        kpi = self.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 5, 31), "company_id": self.company.id}
        )
        self.assertEqual(
            sorted((row["month"], row["level"], row["reached"], row["cured"]) for row in rows),
            sorted(
                (rate["month"], rate["level"], rate["reached"], rate["cured"])
                for rate in kpi._get_cure_rates()
            ),
        )
        this_month = funnel._read_group([("months_ago", "=", 0)], ["level"], ["reminders:sum", "reached:sum"])
        self.assertEqual(this_month, [(1, 1, 1), (2, 1, 1)])

    def test_salespeople_do_not_read_them(self):
        for model in (
            "recouvrement.receivable.aging",
            "recouvrement.collections.month",
            "recouvrement.dunning.funnel",
        ):
            self.assertFalse(self.env[model].with_user(self.salesman).has_access("read"), model)
