import json
from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.recouvrement_credit.tests.common import PatientBrowserMixin
from odoo.addons.recouvrement_credit.tests.reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
class TestCollectionsDashboard(ReportingCommon):
    """The Collections dashboard is shipped as data: its spreadsheet is valid, each pivot reads a
    real model and real fields, and a collector gets its figures (salespeople do not see it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("recouvrement_credit_dashboard.spreadsheet_dashboard_collections")
        cls._invoice_on(250.0, date(2026, 4, 20), date(2026, 5, 20))
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def test_pivots_read_real_fields(self):
        self.assertEqual(len(self.data["pivots"]), 5)
        for pivot in self.data["pivots"].values():
            model = self.env[pivot["model"]].with_user(self.collector)
            fields = model.fields_get()
            groupby = [row["fieldName"] for row in pivot["rows"]]
            aggregates = [
                "__count" if m["fieldName"] == "__count" else f"{m['fieldName']}:{m['aggregator']}"
                for m in pivot["measures"]
            ]
            for name in groupby + [m["fieldName"] for m in pivot["measures"] if m["fieldName"] != "__count"]:
                self.assertIn(name, fields, pivot["name"])
            model.read_group(pivot["domain"], aggregates, groupby, lazy=False)

    def test_collector_sees_the_amount_due(self):
        rows = (
            self.env["account.move.line"]
            .with_user(self.collector)
            .read_group(self.data["pivots"]["1"]["domain"], ["amount_residual:sum"], ["partner_id"])
        )
        self.assertEqual(
            {row["partner_id"][0]: row["amount_residual"] for row in rows}, {self.customer.id: 250.0}
        )

    def test_published_for_collectors_only(self):
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(self.dashboard.group_ids, self.env.ref("recouvrement_credit.group_user"))
        dashboards = self.env["spreadsheet.dashboard"].with_user(self.collector).search([])
        self.assertIn(self.dashboard, dashboards)
        self.assertNotIn(
            self.dashboard, self.env["spreadsheet.dashboard"].with_user(self.salesman).search([])
        )
        self.assertTrue(self.dashboard.with_user(self.collector).get_readonly_dashboard()["snapshot"])


@tagged("post_install", "-at_install")
class TestCollectionsDashboardTour(PatientBrowserMixin, ReportingCommon, HttpCase):
    def test_dashboard_loads_in_the_browser(self):
        """A collector opens Dashboards > Collections: the spreadsheet loads with its data (the tour
        fails on any error the browser logs)."""
        self._invoice_on(250.0, date(2026, 4, 20), date(2026, 5, 20))
        # only this dashboard for the collector: the action opens the first one it may see
        collections = self.env.ref("recouvrement_credit_dashboard.spreadsheet_dashboard_collections")
        others = self.env["spreadsheet.dashboard"].sudo().search([("id", "!=", collections.id)])
        others.group_ids = self.env.ref("base.group_system")
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "recouvrement_collections_dashboard",
            login=self.collector.login,
        )
