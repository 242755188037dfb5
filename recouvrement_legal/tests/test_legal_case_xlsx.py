from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY
from odoo.addons.recouvrement_credit.tests.xlsx_common import XlsxReaderMixin

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLegalCaseXlsx(XlsxReaderMixin, LegalCommon):
    def test_export_selected_cases(self):
        """The list's "Export to Excel": a row per case, dates as dates, amounts as numbers with
        their totals."""
        other = self.env["res.partner"].create({"name": "Fromagerie", "is_company": True})
        first = self._open_case(self._invoice(1000.0, days_late=60), self._invoice(500.0, days_late=40))
        second = self._open_case(self._invoice(250.0, days_late=90, partner=other))
        self._pay(300.0, partner=self.customer, invoice=first.move_ids[:1])
        cases = first | second
        action = self.env.ref("recouvrement_legal.recouvrement_legal_case_action_export_xlsx")
        result = (
            action.with_user(self.collector)
            .with_context(active_model=cases._name, active_ids=cases.ids)
            .run()
        )
        workbook = self._read_xlsx(result)
        self.assertEqual(workbook.sheetnames, [self.company.name])
        sheet = workbook[self.company.name]
        self.assertEqual(sheet.freeze_panes, "A4")
        rows, total = self._read_table(sheet)
        by_name = {row["Reference"]: row for row in rows}
        self.assertEqual(set(by_name), {first.name, second.name})
        row = by_name[first.name]
        self.assertEqual(row["Customer"], "Boulangerie Test")
        self.assertIsInstance(row["Opened On"], datetime)
        self.assertEqual(row["Opened On"].date(), TODAY)
        self.assertEqual(row["Claimed at Opening"], 1500.0)
        self.assertEqual(row["Principal Due"], 1200.0)
        self.assertEqual(row["Recovered"], 300.0)
        self.assertEqual(total["Claimed at Opening"], 1750.0)
        self.assertEqual(total["Principal Due"], 1450.0)
        self.assertEqual(total["Recovered"], 300.0)
