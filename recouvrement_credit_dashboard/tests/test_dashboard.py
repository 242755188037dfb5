import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.recouvrement_credit.tests.common import PatientBrowserMixin
from odoo.addons.recouvrement_credit.tests.reporting_common import ReportingCommon


class DashboardCommon(ReportingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("recouvrement_credit_dashboard.spreadsheet_dashboard_collections")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    @classmethod
    def _overdue_invoice_reminded(cls):
        """An invoice of 250, 10 days late today (the browser runs on the real date), reminded at
        level 1 today."""
        today = fields.Date.context_today(cls.env["res.partner"])
        invoice = cls._invoice_on(250.0, today - timedelta(days=40), today - timedelta(days=10))
        item = invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        level = cls.env.ref("recouvrement_credit.dunning_level_standard_1")
        # sudo: reminders are created by the dunning run only, the fixture stands in for it
        cls.env["recouvrement.dunning.communication"].sudo().create(
            {
                "date": today,
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "currency_id": cls.currency.id,
                "level_id": level.id,
                "state": "sent",
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": item.id,
                            "move_id": invoice.id,
                            "level_id": level.id,
                            "advanced": True,
                            "amount_residual": 250.0,
                        }
                    )
                ],
            }
        )
        return invoice


@tagged("post_install", "-at_install")
class TestCollectionsDashboard(DashboardCommon):
    """The Collections dashboard is shipped as data: its spreadsheet is valid, each pivot reads a
    real model and real fields, and collectors and credit managers get its figures (salespeople do
    not see it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._overdue_invoice_reminded()

    def test_pivots_read_real_fields(self):
        self.assertEqual(len(self.data["pivots"]), 6)
        for pivot in self.data["pivots"].values():
            model = self.env[pivot["model"]].with_user(self.collector)
            fields_ = model.fields_get()
            groupby = [row["fieldName"] for row in pivot["rows"]]
            aggregates = [f"{m['fieldName']}:{m['aggregator']}" for m in pivot["measures"]]
            for name in groupby + [m["fieldName"] for m in pivot["measures"]]:
                self.assertIn(name, fields_, pivot["name"])
            for matching in pivot["fieldMatching"].values():
                self.assertIn(matching["chain"], fields_, pivot["name"])
            model.read_group(pivot["domain"], aggregates, groupby, lazy=False)

    def test_collector_gets_the_figures(self):
        """What the dashboard's pivots return to a collector: the amount due and overdue, the top
        overdue customer, 12 months of receivables and this month's funnel."""
        pivots = {pivot["name"]: pivot for pivot in self.data["pivots"].values()}

        def read(name, aggregates, groupby=()):
            pivot = pivots[name]
            return (
                self.env[pivot["model"]]
                .with_user(self.collector)
                ._read_group(pivot["domain"], groupby, aggregates)
            )

        self.assertEqual(
            read("Receivables by age", ["residual:sum", "residual_overdue:sum"]), [(250.0, 250.0)]
        )
        self.assertEqual(
            read("Top overdue customers", ["residual_overdue:sum", "days:max"], ["partner_id"]),
            [(self.customer, 250.0, 10)],
        )
        months = read("Collections by month", ["ar:sum"], ["months_ago"])
        self.assertEqual([ago for ago, _ar in months], list(range(14)))
        self.assertEqual(months[0][1], 250.0, "this month's receivables")
        self.assertEqual(
            read("Dunning funnel this month", ["reminders:sum", "reached:sum"], ["level"]), [(1, 1, 1)]
        )

    def test_published_for_collectors_and_credit_managers_only(self):
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(self.dashboard.group_ids, self.env.ref("recouvrement_credit.group_user"))
        for user in (self.collector, self.manager):
            self.assertIn(self.dashboard, self.env["spreadsheet.dashboard"].with_user(user).search([]))
        self.assertNotIn(
            self.dashboard, self.env["spreadsheet.dashboard"].with_user(self.salesman).search([])
        )
        self.assertTrue(self.dashboard.with_user(self.collector).get_readonly_dashboard()["snapshot"])


@tagged("post_install", "-at_install")
class TestCollectionsDashboardTour(PatientBrowserMixin, DashboardCommon, HttpCase):
    def test_dashboard_shows_the_figures(self):
        """A collector opens Dashboards > Collections: the scorecards and charts are drawn, and the
        figures computed in the browser are the fixture's (amount due and overdue, DSO trend, aged
        balance, top overdue customer, dunning funnel); the tour fails on any browser error."""
        self._overdue_invoice_reminded()
        # only this dashboard for the collector: the action opens the first one it may see
        others = self.env["spreadsheet.dashboard"].sudo().search([("id", "!=", self.dashboard.id)])
        others.group_ids = self.env.ref("base.group_system")
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "recouvrement_collections_dashboard",
            login=self.collector.login,
        )
