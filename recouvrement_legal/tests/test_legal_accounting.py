from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalAccounting(LegalCommon):
    """Doubtful debts on the French chart. The class is skipped (SkipTest from the account test
    base) when l10n_fr_account is not installed, as in the CI that installs our dependencies only."""

    chart_template = "fr"
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.company_data["default_tax_sale"]  # TVA collectée 20 %
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": date(2026, 3, 1),
                "invoice_date_due": date(2026, 3, 31),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product_a.id, "price_unit": 1000.0, "tax_ids": cls.vat.ids}
                    )
                ],
            }
        )
        cls.invoice.action_post()
        cls.case = cls.Case._open_for_items(
            cls.invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        )

    def _balances(self, move):
        result = {}
        for line in move.line_ids:
            result[line.account_id.code] = result.get(line.account_id.code, 0.0) + line.balance
        return result

    def test_vat_rate(self):
        self.assertEqual(self.invoice.amount_total, 1200.0)

    def test_reclassify_on_a_receivable_416(self):
        move = self.case._reclassify_doubtful(date(2026, 6, 1))
        self.assertEqual(self._balances(move), {"416100": 1200.0, "411100": -1200.0})
        account = self.company.legal_doubtful_account_id
        self.assertEqual(account.account_type, "asset_receivable", "the stock 416000 is not a receivable")
        self.assertTrue(self.invoice.line_ids.filtered(lambda a: a.account_id.code == "411100").reconciled)
        self.assertEqual(self.case.amount_principal, 1200.0, "still due, now on 416")
        self.assertTrue(self.case.doubtful)
        self.assertEqual(self._position().amount_open_invoices, 1200.0, "the debt stays in the position")
        # a later payment, received on the 416 account, reconciles with the doubtful item
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 200.0,
                "date": date(2026, 6, 20),
                "destination_account_id": account.id,
            }
        )
        payment.action_post()
        (
            payment.move_id.line_ids.filtered(lambda a: a.account_id == account)
            | self.case.line_ids.doubtful_line_id
        ).reconcile()
        self.assertEqual(self.case.amount_principal, 1000.0)

    def test_impairment_excluding_vat_adjusted_and_reversed(self):
        first = self.case._set_impairment(50.0, date(2026, 6, 30))
        self.assertEqual(self._balances(first), {"681740": 500.0, "491000": -500.0})
        self.assertEqual(self.case.amount_impaired, 500.0)
        raise_to = self.case._set_impairment(80.0, date(2026, 9, 30))
        self.assertEqual(self._balances(raise_to), {"681740": 300.0, "491000": -300.0})
        lower = self.case._set_impairment(20.0, date(2026, 12, 31))
        self.assertEqual(self._balances(lower), {"491000": 600.0, "781740": -600.0})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.case._set_impairment(120.0)
        self.assertEqual(self.case.impairment_rate, 20.0)

    def test_write_off_with_vat_regularisation(self):
        self.case._reclassify_doubtful(date(2026, 6, 1))
        self.case._set_impairment(100.0, date(2026, 6, 30))
        move = self.case._write_off(1200.0, date(2026, 11, 15))
        self.assertEqual(self._balances(move), {"654100": 1000.0, "445710": 200.0, "416100": -1200.0})
        self.assertEqual(self.case.amount_principal, 0.0)
        self.assertEqual(self.case.amount_impaired, 0.0, "the impairment is reversed")
        reversal = self.case.accounting_move_ids.filtered(lambda m: "781740" in self._balances(m))
        self.assertEqual(self._balances(reversal), {"491000": 1000.0, "781740": -1000.0})
        self.assertIn("article 272", self.case.writeoff_mention)
        self.assertIn("1,000.00", self.case.writeoff_mention)
        self.assertIn("200.00", self.case.writeoff_mention)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "recouvrement_legal.action_report_legal_corrective_invoice", self.case.ids
        )[0]
        self.assertIn(b"article 272", html)
        for entry in self.case.accounting_move_ids:
            self.assertEqual(entry.state, "posted")
            self.assertAlmostEqual(sum(entry.line_ids.mapped("balance")), 0.0)

    def test_write_off_larger_than_the_debt_is_refused(self):
        entries = self.case.accounting_move_ids
        with self.assertRaisesRegex(ValidationError, "only .* is still due"):
            self.case._write_off(1500.0)
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.case._write_off(0.0)
        self.assertEqual(self.case.accounting_move_ids, entries, "nothing posted")
        self.assertEqual(self.case.amount_principal, 1200.0)

    def test_other_charts_need_the_accounts_set(self):
        self.company.chart_template = "generic_coa"
        self.env["account.account"].search([("code", "=", "416100")]).unlink()
        with self.assertRaisesRegex(UserError, "no default is known"):
            self.case._reclassify_doubtful()
