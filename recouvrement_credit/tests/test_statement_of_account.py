from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .credit_common import TODAY
from .letter_common import LetterCommon

EXPECTED = {
    "not_due": 20.0,  # 100 not due - 50 credit note - 30 unapplied payment
    "days_1_30": 200.0,
    "days_31_60": 300.0,
    "days_61_90": 400.0,
    "days_over_90": 500.0,
    "total": 1420.0,
}


@tagged("post_install", "-at_install")
class TestAgedBalance(LetterCommon):
    def test_buckets(self):
        """Each bucket holds the items of its ages, the boundaries included; credits count negatively
        in the bucket of their date; paid, draft and other customers' items are left out."""
        self._aged_invoices()
        paid = self._invoice(700.0, days_late=40)
        self._pay(700.0, invoice=paid)
        partly_paid = self._invoice(600.0, days_late=61)
        self._pay(250.0, invoice=partly_paid)
        self._invoice(900.0, days_late=100, post=False)
        other = self.env["res.partner"].create({"name": "Autre client"})
        self._invoice(800.0, days_late=10, partner=other)
        contact = self.env["res.partner"].create({"name": "Compta", "parent_id": self.customer.id})
        self._invoice(70.0, days_late=5, partner=contact)

        expected = dict(EXPECTED)
        expected["days_61_90"] += 350.0
        expected["days_1_30"] += 70.0
        expected["total"] += 420.0
        self.assertEqual(self.customer._get_aged_balance(TODAY), expected)
        self.assertEqual(contact._get_aged_balance(TODAY), expected, "a contact shows its company's account")

    def test_statement_lines_match_the_aged_total(self):
        invoices = self._aged_invoices()
        lines = self.customer._get_statement_lines(TODAY)
        self.assertEqual(len(lines), 7)
        self.assertEqual(lines[-1]["balance"], EXPECTED["total"], "the running balance ends on the total")
        self.assertAlmostEqual(sum(item["line"].amount_residual for item in lines), EXPECTED["total"])
        days = {item["line"].move_id: item["days_late"] for item in lines}
        self.assertEqual(days[invoices["days_over_90"]], 91)
        self.assertEqual(days[invoices["not_due"]], 0)
        credits = [item for item in lines if item["line"].amount_residual < 0]
        self.assertEqual(len(credits), 2)
        self.assertEqual({item["days_late"] for item in credits}, {0}, "credits are never late")

    def test_multi_company_isolation(self):
        """Only the current company's items: another company's invoices to the same customer show in
        that company's statement only."""
        self._aged_invoices()
        company_2 = self.setup_other_company(name="Filiale")["company"]
        self.env.user.company_ids |= company_2
        other_company_env = self.env(context=dict(self.env.context, allowed_company_ids=company_2.ids))
        move = other_company_env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": TODAY,
                "invoice_date_due": TODAY,
                "currency_id": company_2.currency_id.id,
                "invoice_line_ids": [
                    Command.create({"name": "Service", "price_unit": 5000.0, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        self.assertEqual(move.company_id, company_2)
        self.assertEqual(self.customer._get_aged_balance(TODAY), EXPECTED)
        self.assertEqual(len(self.customer._get_statement_lines(TODAY)), 7)
        in_company_2 = self.customer.with_env(other_company_env)
        self.assertEqual(in_company_2._get_aged_balance(TODAY)["total"], 5000.0)
        self.assertEqual(in_company_2._get_aged_balance(TODAY)["not_due"], 5000.0)
        self.assertEqual([item["line"].move_id for item in in_company_2._get_statement_lines(TODAY)], [move])

    @freeze_time(TODAY)
    def test_report_values_default_to_today(self):
        self._aged_invoices()
        values = self.env["report.recouvrement_credit.report_statement_of_account"]._get_report_values(
            self.customer.ids
        )
        self.assertEqual(values["statement_date"], TODAY)
        self.assertEqual(values["statements"][self.customer.id]["aged"], EXPECTED)

    def test_collector_prints_statement(self):
        """The print action is offered to collectors, on the customer's form and print menu."""
        self._aged_invoices()
        action = self.customer.with_user(self.collector).action_print_statement_of_account()
        self.assertEqual(action["report_name"], "recouvrement_credit.report_statement_of_account")
        report = self.env.ref("recouvrement_credit.action_report_statement_of_account")
        self.assertEqual(report.binding_model_id.model, "res.partner")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.collector)
            ._render_qweb_html(report.report_name, self.customer.ids, data={"date": str(TODAY)})[0]
            .decode()
        )
        self.assertIn("1,420.00", html)
