"""Accounting > Settings: the charts of accounts are listed from a cache, not rebuilt by
introspecting every localisation module on each request (about 1.2 s of the page's load)."""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.account.models.chart_template import AccountChartTemplate


@tagged("post_install", "-at_install")
class TestSettingsSpeed(TransactionCase):
    def test_chart_templates_listed_from_the_cache(self):
        company = self.env.company
        expected = [
            tuple(option)
            for option in self.env["account.chart.template"]._select_chart_template(company.country_id)
        ]
        self.env.registry.clear_cache()
        self.assertEqual(company._chart_template_selection(), expected)
        with patch.object(
            AccountChartTemplate, "_select_chart_template", side_effect=AssertionError("rebuilt")
        ):
            self.assertEqual(company._chart_template_selection(), expected)
            settings = self.env["res.config.settings"]
            description = settings.fields_get(["chart_template"], ["selection"])["chart_template"]
            self.assertEqual([tuple(option) for option in description["selection"]], expected)
            settings.get_views([(False, "form")])
