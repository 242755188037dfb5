from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .credit_common import TODAY
from .dunning_common import DunningCommon
from .xlsx_common import XlsxReaderMixin


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestXlsxExports(XlsxReaderMixin, DunningCommon):
    """Reminders, dunning runs and penalties charged download as XLSX tables: real numbers and
    dates, frozen and filtered header, totals, one sheet per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.late_payment_policy_id = cls.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        cls.company_b = cls.setup_other_company(name="Filiale Lyon")["company"]
        cls.company_b.write(
            {
                "email": "compta@lyon.example.com",
                "dunning_scenario_id": cls.standard.id,
                "dunning_tolerance_amount": 5.0,
                "dunning_contact_cap": 0,
            }
        )
        cls.collector.company_ids = cls.company + cls.company_b

    def _invoice_b(self, amount, due):
        move = (
            self.env["account.move"]
            .with_company(self.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": date(2026, 4, 1),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create({"name": "Pose", "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _run_b(self):
        with freeze_time(datetime(2026, 6, 15, 8)):
            run = self.env["recouvrement.dunning.run"]._get_or_create(self.company_b, TODAY)
            run._generate()
            return run

    def test_reminders_one_sheet_per_company(self):
        self._invoice(300.0, days_late=20)
        self._invoice(200.0, days_late=2, currency=self.other_currency)
        self._invoice_b(450.0, date(2026, 5, 26))
        reminders = self._run() | self._run_b().communication_ids
        self.assertEqual(len(reminders), 3)
        workbook = self._read_xlsx(reminders.with_user(self.collector).action_export_xlsx_records())
        self.assertEqual(workbook.sheetnames, sorted([self.company.name, "Filiale Lyon"]))

        sheet = workbook[self.company.name]
        self.assertEqual(sheet.freeze_panes, "A4")
        self.assertEqual(sheet.auto_filter.ref, "A3:O5")
        rows, total = self._read_table(sheet)
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual(row["Customer"], "Boulangerie Test")
            self.assertIsInstance(row["Date"], datetime)
            self.assertEqual(row["Date"].date(), TODAY)
            self.assertIsInstance(row["Level Number"], int)
            self.assertIsInstance(row["Amount Due (Company Currency)"], int | float)  # a number, not text
            self.assertTrue(row["Channels"])
            self.assertTrue(row["Invoices"])
        by_amount = {row["Amount Due"]: row for row in rows}
        self.assertEqual(set(by_amount), {300.0, 200.0})
        self.assertEqual(by_amount[200.0]["Currency"], "EUR")
        self.assertEqual(by_amount[300.0]["Days Late"], 20)
        # the amounts are in two currencies: no total; in the company's currency they add up
        self.assertIsNone(total["Amount Due"])
        self.assertAlmostEqual(
            total["Amount Due (Company Currency)"],
            sum(row["Amount Due (Company Currency)"] for row in rows),
        )
        [row_b], total_b = self._read_table(workbook["Filiale Lyon"])
        self.assertEqual(row_b["Amount Due"], 450.0)
        self.assertEqual(total_b["Amount Due"], 450.0)

    def test_run_exports_its_reminders(self):
        self._invoice(300.0, days_late=20)
        self._invoice(120.0, days_late=40, partner=self.env["res.partner"].create({"name": "Fromagerie"}))
        reminders = self._run()
        run = reminders.run_id
        workbook = self._read_xlsx(run.action_export_xlsx_records())
        rows, total = self._read_table(workbook[self.company.name])
        self.assertEqual({row["Reminder"] for row in rows}, set(reminders.mapped("name")))
        self.assertEqual({row["Dunning Run"] for row in rows}, {run.display_name})
        self.assertEqual(total["Amount Due"], 420.0)

    def test_list_action_exports_the_selection(self):
        self._invoice(300.0, days_late=20)
        reminder = self._run()
        action = self.env.ref("recouvrement_credit.recouvrement_dunning_communication_action_export_xlsx")
        result = (
            action.with_user(self.collector)
            .with_context(active_model=reminder._name, active_ids=reminder.ids, active_id=reminder.id)
            .run()
        )
        rows, _total = self._read_table(self._read_xlsx(result)[self.company.name])
        self.assertEqual([row["Reminder"] for row in rows], [reminder.name])

    def test_nothing_selected(self):
        with self.assertRaisesRegex(UserError, "nothing to export"):
            self.env["recouvrement.dunning.run"].create(
                {"company_id": self.company.id}
            ).action_export_xlsx_records()

    def test_penalties_charged(self):
        invoice = self._invoice(10000.0, days_late=90)
        penalty = invoice._create_late_payment_invoices(TODAY)
        charges = self.env["recouvrement.penalty.charge"].search([("penalty_move_id", "=", penalty.id)])
        self.assertEqual(sorted(charges.mapped("kind")), ["indemnity", "interest"])
        # a collector only reads penalties charged: enough to export them from the list
        action = self.env.ref("recouvrement_credit.recouvrement_penalty_charge_action_export_xlsx")
        workbook = self._read_xlsx(
            action.with_user(self.collector)
            .with_context(active_model=charges._name, active_ids=charges.ids)
            .run()
        )
        rows, total = self._read_table(workbook[self.company.name])
        self.assertEqual(len(rows), 2)
        self.assertEqual({row["Kind"] for row in rows}, {"Interest", "Fixed recovery indemnity"})
        interest = next(row for row in rows if row["Kind"] == "Interest")
        self.assertIsInstance(interest["From"], datetime)
        self.assertEqual(interest["To"].date(), TODAY)
        self.assertEqual(interest["Penalty Invoice Date"].date(), TODAY)
        self.assertEqual(interest["Customer"], "Boulangerie Test")
        self.assertAlmostEqual(total["Amount"], sum(charges.mapped("amount")))
        self.assertAlmostEqual(total["Amount"], penalty.amount_total)
