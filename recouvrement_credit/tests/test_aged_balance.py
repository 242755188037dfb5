import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .credit_common import TODAY
from .reporting_common import ReportingCommon

PAST = date(2026, 5, 1)


@tagged("post_install", "-at_install")
class TestAgedBalanceReport(ReportingCommon):
    """Aged balance at any date, on a small ledger whose answers are computed by hand.

    Boulangerie Test: A 100 due 1 March (invoiced 30 January), paid 40 on 10 April and 60 on
    1 June; B 250 due 20 May (invoiced 20 April); C 80 invoiced and due on 15 June (TODAY)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env["recouvrement.aged.balance"]
        cls.invoice_a = cls._invoice_on(100.0, date(2026, 1, 30), date(2026, 3, 1))
        cls.invoice_b = cls._invoice_on(250.0, date(2026, 4, 20), date(2026, 5, 20))
        cls.invoice_c = cls._invoice_on(80.0, TODAY, TODAY)
        cls._pay_on(cls.invoice_a, 40.0, date(2026, 4, 10))
        cls._pay_on(cls.invoice_a, 60.0, date(2026, 6, 1))

    def _by_customer(self, on_date, basis="due", company=None):
        rows = self.report.get_aged_balance(on_date, basis, company or self.company)
        return {row["partner_id"]: row for row in rows}

    def _ledger_balance(self, on_date, company=None):
        """The receivable accounts' balance on ON_DATE, from the general ledger."""
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", (company or self.company).id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", on_date),
            ]
        )
        return sum(lines.mapped("balance"))

    def test_aged_balance_at_a_past_date_by_due_date(self):
        row = self._by_customer(PAST)[self.customer.id]
        # A: 60 left on 1 May, 61 days after its due date; B: not due; C: not invoiced yet
        self.assertEqual(row["buckets"], {3: 60.0, 0: 250.0})
        self.assertAlmostEqual(row["total"], 310.0)
        totals = sum(r["total"] for r in self._by_customer(PAST).values())
        self.assertAlmostEqual(totals, self._ledger_balance(PAST))

    def test_aged_balance_today(self):
        row = self._by_customer(TODAY)[self.customer.id]
        # A is paid; B is 26 days late; C is due today (not late)
        self.assertEqual(row["buckets"], {1: 250.0, 0: 80.0})
        totals = sum(r["total"] for r in self._by_customer(TODAY).values())
        self.assertAlmostEqual(totals, self._ledger_balance(TODAY))

    def test_aged_by_invoice_date(self):
        row = self._by_customer(PAST, basis="invoice")[self.customer.id]
        # A: invoiced 91 days before 1 May; B: invoiced 11 days before
        self.assertEqual(row["buckets"], {4: 60.0, 1: 250.0})

    def test_buckets_set_by_the_company(self):
        self.company.aged_balance_bucket_days = "15, 45"
        row = self._by_customer(PAST)[self.customer.id]
        self.assertEqual(row["buckets"], {3: 60.0, 0: 250.0})  # > 45 days
        labels = [label for _c, _s, _f, _l, label in self.report._get_bucket_rows(self.company)]
        self.assertEqual(labels, ["Not due", "1–15 days", "16–45 days", "> 45 days"])
        for bad in ("60,30", "0,30", "thirty", ""):
            with self.assertRaisesRegex(ValidationError, "increasing whole numbers"):
                self.company.aged_balance_bucket_days = bad
        self.assertEqual(self.company.aged_balance_bucket_days, "15, 45")

    def test_items_in_document_currency(self):
        other = self.setup_other_currency(
            "EUR" if self.currency.name != "EUR" else "CHF", rates=[("2026-01-01", 2.0)]
        )
        self._invoice_on(200.0, date(2026, 4, 1), date(2026, 4, 15), currency=other)
        report = self.report.create({"date": PAST, "company_ids": self.company.ids})
        report._fill_lines()
        foreign = report.line_ids.filtered(lambda line: line.currency_id == other)
        self.assertEqual((foreign.residual_currency, foreign.residual, foreign.days), (200.0, 100.0, 16))
        self.assertEqual(foreign.bucket, "1–30 days")

    def test_lines_for_the_views(self):
        action = self.report.create({"date": PAST, "company_ids": self.company.ids}).action_open()
        lines = self.env["recouvrement.aged.balance.line"].search(action["domain"])
        self.assertEqual(sorted(lines.mapped("residual")), [60.0, 250.0])
        self.assertEqual(lines.partner_id, self.customer)
        self.assertEqual(set(lines.mapped("move_id")), {self.invoice_a, self.invoice_b})

    def test_other_company_is_not_read(self):
        other_company = self.setup_other_company()["company"]
        self.assertEqual(self._by_customer(PAST, company=other_company), {})
        collector = self._new_user("aged_collector", "recouvrement_credit.group_user")
        with self.assertRaises(AccessError):
            self.report.with_user(collector).get_aged_balance(PAST, "due", other_company)

    def test_xlsx_export(self):
        report = self.report.create({"date": PAST, "company_ids": self.company.ids})
        action = report.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        workbook = openpyxl.load_workbook(io.BytesIO(attachment.raw), data_only=True)
        sheet = workbook[self.company.name[:31]]
        self.assertEqual(sheet["B1"].value.date(), PAST)
        header = [cell.value for cell in sheet[3]]
        self.assertEqual(header, ["Customer", "Not due", "1–30 days", "31–60 days", "61–90 days",
                                  "91–120 days", "> 120 days", "Total"])  # fmt: skip
        customer_row = [cell.value for cell in sheet[4]]
        self.assertEqual(customer_row, ["Boulangerie Test", 250.0, 0.0, 0.0, 60.0, 0.0, 0.0, 310.0])
        self.assertEqual(sheet["A5"].value, "Total")
        self.assertEqual(sheet["H5"].value, 310.0)  # the formula's value as computed
        self.assertEqual(sheet.freeze_panes, "B4")
        self.assertTrue(sheet.auto_filter.ref)


@tagged("post_install", "-at_install")
class TestAgedBalancePdf(ReportingCommon, HttpCase):
    """The printable aged balance, rendered through wkhtmltopdf (an HttpCase, so that its requests
    for the report assets share the test transaction). Same ledger as TestAgedBalanceReport on
    1 May: A 60 in 61–90 days, B 250 not due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoice_a = cls._invoice_on(100.0, date(2026, 1, 30), date(2026, 3, 1))
        cls._invoice_on(250.0, date(2026, 4, 20), date(2026, 5, 20))
        cls._pay_on(invoice_a, 40.0, date(2026, 4, 10))
        cls.company.write(
            {
                "name": "Menuiserie Test",
                "street": "3 rue des Rabots",
                "external_report_layout_id": cls.env.ref("web.external_layout_standard").id,
            }
        )
        cls.report = cls.env["recouvrement.aged.balance"].create(
            {"date": PAST, "company_ids": cls.company.ids}
        )

    def test_pages(self):
        [page] = self.report._get_print_pages()
        self.assertEqual(page["company"], self.company)
        self.assertEqual(page["lines"], [
            {"name": "Boulangerie Test", "amounts": [250.0, 0.0, 0.0, 60.0, 0.0, 0.0], "total": 310.0}
        ])  # fmt: skip
        self.assertEqual((page["totals"][3], page["total"]), (60.0, 310.0))

    def test_html_has_company_header_customers_and_buckets(self):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.collector)
            ._render_qweb_html("recouvrement_credit.report_aged_balance", self.report.ids)
        )
        html = html.decode()
        for text in (
            "Menuiserie Test",
            "3 rue des Rabots",
            "Boulangerie Test",
            "61–90 days",
            "&gt; 120 days",
        ):
            self.assertIn(text, html)
        self.assertRegex(html, r"310[.,]00")

    def test_pdf_renders(self):
        self.assertEqual(self.report.action_print()["report_name"], "recouvrement_credit.report_aged_balance")
        pdf, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("recouvrement_credit.report_aged_balance", self.report.ids)
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
