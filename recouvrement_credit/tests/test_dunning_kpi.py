import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
class TestDunningKpi(ReportingCommon):
    """Dunning effectiveness and collectors' months from April to June 2026, computed by hand.

    Ledger: I1 1,000 due 31 March (paid 15 May), I2 500 due 30 April (never paid), I3 300 due
    15 April (paid 25 April); the customer's collector is ``collector``.
    Reminders: I1 reaches level 1 on 2 April and level 2 on 10 April; I3 level 1 on 20 April;
    I2 level 1 on 5 May; ignored: I1 reminded again at level 2 (not advanced) and a cancelled
    reminder moving I2 to level 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).dunning_collector_id = cls.collector
        cls.i1 = cls._invoice_on(1000.0, date(2026, 3, 1), date(2026, 3, 31))
        cls.i2 = cls._invoice_on(500.0, date(2026, 3, 31), date(2026, 4, 30))
        cls.i3 = cls._invoice_on(300.0, date(2026, 3, 16), date(2026, 4, 15))
        cls.r1, cls.r2, cls.r3 = (cls._receivable(move) for move in (cls.i1, cls.i2, cls.i3))
        cls._make_promises()
        cls._make_disputes()
        cls._make_plans()
        cls._make_reminders()
        with freeze_time("2026-05-03 09:00:00"):
            activity = cls.customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=cls.collector.id, date_deadline=date(2026, 5, 3)
            )
            activity.with_user(cls.collector).action_done()
        cls._pay_on(cls.i3, 300.0, date(2026, 4, 25))
        cls._pay_on(cls.i1, 1000.0, date(2026, 5, 15))
        kpi = cls.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30), "company_id": cls.company.id}
        )
        cls.kpi = kpi
        cls.months = {values["month"].month: values for values in kpi._get_monthly_values()}

    @classmethod
    def _receivable(cls, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    @classmethod
    def _make_promises(cls):
        promises = cls.env["recouvrement.promise"]
        specs = [  # items, amount, promised date, state, recorded on
            (cls.r1, 600.0, date(2026, 5, 10), "kept", datetime(2026, 4, 20, 10)),
            (cls.r2, 500.0, date(2026, 5, 20), "broken", datetime(2026, 5, 2, 10)),
            (cls.r1, 200.0, date(2026, 5, 25), "cancelled", datetime(2026, 5, 2, 11)),
            (cls.r2, 100.0, date(2026, 6, 5), "open", datetime(2026, 5, 28, 10)),
        ]
        with freeze_time("2026-04-01"):
            for lines, amount, day, state, recorded in specs:
                promise = promises.create(
                    {
                        "partner_id": cls.customer.id,
                        "move_line_ids": [Command.set(lines.ids)],
                        "amount": amount,
                        "date": day,
                        "user_id": cls.collector.id,
                    }
                )
                promise.state = state
                promise.flush_recordset()
                cls.env.cr.execute(
                    SQL(
                        "UPDATE recouvrement_promise SET create_date = %s WHERE id = %s", recorded, promise.id
                    )
                )

    @classmethod
    def _make_disputes(cls):
        disputes = cls.env["recouvrement.dispute"]
        # 35 days, resolved; 10 days, rejected, owned by the collector
        for move, opened, closed, state, owner in (
            (cls.i2, date(2026, 4, 10), date(2026, 5, 15), "resolved", cls.env.user),
            (cls.i1, date(2026, 5, 1), date(2026, 5, 11), "rejected", cls.collector),
        ):
            dispute = disputes.create({"move_id": move.id, "date_opened": opened, "user_id": owner.id})
            dispute.write({"state": state, "date_closed": closed})

    @classmethod
    def _make_plans(cls):
        plans = cls.env["recouvrement.payment.plan"]
        for start, state, ended, owner in (
            (date(2026, 4, 1), "done", date(2026, 4, 30), cls.env.user),
            (date(2026, 5, 1), "done", date(2026, 6, 10), cls.collector),
            (date(2026, 5, 5), "broken", date(2026, 6, 3), cls.env.user),
            (date(2026, 5, 6), "cancelled", None, cls.collector),
        ):
            plan = plans.create({"partner_id": cls.customer.id, "date_start": start, "user_id": owner.id})
            plan.write(
                {
                    "state": state,
                    "date_done": ended if state == "done" else False,
                    "date_broken": ended if state == "broken" else False,
                }
            )

    @classmethod
    def _make_reminders(cls):
        level_1 = cls.env.ref("recouvrement_credit.dunning_level_standard_1")
        level_2 = cls.env.ref("recouvrement_credit.dunning_level_standard_2")
        for day, level, items, advanced, state in (
            (date(2026, 4, 2), level_1, cls.r1, True, "sent"),
            (date(2026, 4, 10), level_2, cls.r1, True, "sent"),
            (date(2026, 4, 20), level_1, cls.r3, True, "sent"),
            (date(2026, 4, 20), level_2, cls.r1, False, "sent"),
            (date(2026, 5, 5), level_1, cls.r2, True, "sent"),
            (date(2026, 5, 10), level_2, cls.r2, True, "cancelled"),
        ):
            # sudo: reminders are created by the dunning run only, the fixture stands in for it
            cls.env["recouvrement.dunning.communication"].sudo().create(
                {
                    "date": day,
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "currency_id": cls.currency.id,
                    "level_id": level.id,
                    "state": state,
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": line.id,
                                "move_id": line.move_id.id,
                                "level_id": level.id,
                                "advanced": advanced,
                                "amount_residual": line.balance,
                            }
                        )
                        for line in items
                    ],
                }
            )

    def test_promise_kept_rate(self):
        may, june = self.months[5], self.months[6]
        # May: 600 kept, 500 broken (the cancelled 200 is left out)
        self.assertEqual((may["promises_due"], may["promises_kept"]), (2, 1))
        self.assertAlmostEqual(may["promise_kept_rate"], 50.0)
        self.assertAlmostEqual(may["promise_kept_amount_rate"], 600 / 1100 * 100)
        # June: one promise still open counts as not kept (yet)
        self.assertEqual((june["promises_due"], june["promise_kept_rate"]), (1, 0.0))
        self.assertNotIn("promises_due", self.months[4])

    def test_dispute_resolution_time(self):
        may = self.months[5]
        self.assertEqual(may["disputes_closed"], 2)
        self.assertAlmostEqual(may["dispute_days"], (35 + 10) / 2)

    def test_payment_plans_honoured(self):
        april, june = self.months[4], self.months[6]
        self.assertEqual((april["plans_ended"], april["plans_honoured_rate"]), (1, 100.0))
        self.assertEqual((june["plans_ended"], june["plans_honoured_rate"]), (2, 50.0))
        self.assertNotIn("plans_ended", self.months[5])

    def test_cure_rate_per_level(self):
        rates = {(row["month"].month, row["level"]): row for row in self.kpi._get_cure_rates()}
        self.assertEqual(sorted(rates), [(4, 1), (4, 2), (5, 1)])
        # April level 1: I1 (paid only after level 2) and I3 (paid 25 April, cured)
        self.assertEqual((rates[4, 1]["reached"], rates[4, 1]["cured"]), (2, 1))
        self.assertAlmostEqual(rates[4, 1]["cure_rate"], 50.0)
        # April level 2: I1, paid 15 May with no higher level reached
        self.assertEqual((rates[4, 2]["reached"], rates[4, 2]["cure_rate"]), (1, 100.0))
        # May level 1: I2, never paid
        self.assertEqual((rates[5, 1]["reached"], rates[5, 1]["cure_rate"]), (1, 0.0))

    def test_collectors(self):
        rows = {(row["month"].month, row["collector_id"]): row for row in self.kpi._get_collector_values()}
        april, may, june = (rows[month, self.collector.id] for month in (4, 5, 6))
        self.assertEqual((april["collected"], may["collected"], june["collected"]), (300.0, 1000.0, 0.0))
        # overdue at month end: I1 on 30 April; I2 on 31 May and 30 June
        self.assertEqual((april["overdue"], may["overdue"], june["overdue"]), (1000.0, 500.0, 500.0))
        self.assertEqual(april["promises_recorded"], 1)
        # May: a call done, two promises recorded, a plan agreed, a dispute closed
        self.assertEqual(
            (may["activities_done"], may["promises_recorded"], may["plans_agreed"], may["disputes_closed"]),
            (1, 2, 1, 1),
        )
        self.assertEqual(may["actions_done"], 5)

    def test_collector_actions_overdue(self):
        """Activities still to do, by the month of their passed deadline, on the company's records."""
        for deadline in (date(2026, 6, 10), date(2026, 6, 20), date(2099, 1, 1)):
            self.customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.collector.id, date_deadline=deadline
            )
        other_company = self.env["res.company"].create({"name": "Other company"})
        other_customer = self.env["res.partner"].create({"name": "Elsewhere", "company_id": other_company.id})
        other_customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.collector.id, date_deadline=date(2026, 6, 10)
        )
        rows = {(row["month"].month, row["collector_id"]): row for row in self.kpi._get_collector_values()}
        self.assertEqual(rows[6, self.collector.id]["activities_late"], 2)
        self.assertEqual(rows[5, self.collector.id]["activities_late"], 0)  # May's call was done

    def test_screens(self):
        self.kpi.with_user(self.collector).action_open_cure_rates()
        self.assertEqual(len(self.kpi.level_ids), 3)
        action = self.kpi.with_user(self.collector).action_open_collectors()
        lines = self.env["recouvrement.collections.kpi.collector"].search(action["domain"])
        self.assertIn(self.collector, lines.collector_id)  # and whoever else acted (the test user)
        may = self.kpi.line_ids.filtered(lambda line: line.month == date(2026, 5, 1))
        self.assertAlmostEqual(may.promise_kept_rate, 50.0)

    def test_completed_plan_dated(self):
        plan = self.env["recouvrement.payment.plan"].search([("state", "=", "done")], limit=1)
        plan._finish(date(2026, 7, 1))
        self.assertEqual(plan.date_done, date(2026, 7, 1))

    def test_xlsx_export(self):
        action = self.kpi.with_user(self.collector).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw))[self.company.name[:31]]
        header = [cell.value for cell in sheet[3]]
        self.assertEqual(header[:3], ["Month", "Credit Sales", "Receivables"])
        column = {name: index for index, name in enumerate(header)}
        may = [cell for cell in sheet[5]]
        self.assertEqual(may[0].value, datetime(2026, 5, 1))
        self.assertEqual(may[0].number_format, "mm/yyyy")
        self.assertEqual(may[column["Receivables"]].value, 500.0)  # I2 only
        self.assertEqual(may[column["Receivables"]].number_format, "#,##0.00")
        self.assertEqual(may[column["Promises Kept (%)"]].value, 50.0)
        self.assertEqual(may[column["Promised Amount Kept (%)"]].value, 54.5)
        self.assertEqual(may[column["Dispute Resolution (Days)"]].value, 22.5)
        self.assertEqual(may[column["Dispute Resolution (Days)"]].number_format, "0.0")
        self.assertIsInstance(may[column["Promises Due"]].value, int)
        self.assertEqual(sheet.max_row, 6)  # title, blank, header, April to June
        self.assertEqual(sheet.freeze_panes, "B4")
        self.assertEqual(sheet.auto_filter.ref, f"A3:{sheet.cell(6, len(header)).coordinate}")

    def test_salespeople_do_not_see_reporting(self):
        self.kpi._fill_lines()
        for records in (self.kpi, self.kpi.level_ids, self.kpi.collector_ids, self.kpi.line_ids):
            with self.assertRaises(AccessError):
                records.with_user(self.salesman).read(["kpi_id" if records != self.kpi else "date_from"])
        with self.assertRaises(AccessError):
            self.env["recouvrement.aged.balance"].with_user(self.salesman).create({})
