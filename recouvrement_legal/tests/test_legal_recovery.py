from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalRecovery(LegalCommon):
    """Recovery after write-off on the French chart: income 771400, the VAT regularised at
    write-off (445710) collected again pro rata, the payment reconciled."""

    chart_template = "fr"
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vat = cls.company_data["default_tax_sale"]  # TVA collectée 20 %
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": date(2026, 3, 1),
                "invoice_date_due": date(2026, 3, 31),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product_a.id, "price_unit": 1000.0, "tax_ids": vat.ids})
                ],
            }
        )
        cls.invoice.action_post()
        cls.case = cls.Case._open_for_items(
            cls.invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        )
        cls.case._reclassify_doubtful(date(2026, 6, 1))
        cls.case._write_off(1200.0, date(2026, 11, 15))
        cls.bank = cls.company_data["default_journal_bank"]

    def _balances(self, move):
        result = {}
        for line in move.line_ids:
            result[line.account_id.code] = round(result.get(line.account_id.code, 0.0) + line.balance, 2)
        return result

    def _customer_payment(self, amount, on_date):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": amount,
                "date": on_date,
                "journal_id": self.bank.id,
            }
        )
        payment.action_post()
        return payment

    def test_written_off_is_not_recovered(self):
        self.assertEqual(self.case.amount_written_off, 1200.0)
        self.assertEqual(self.case.amount_recovered, 0.0, "a loss is not a recovery")
        self.assertEqual(self.case.recovery_rate, 0.0)

    def test_recovery_registered_from_the_case(self):
        """A liquidator's distribution of 360 €: 300 € income, 60 € VAT collected again."""
        wizard = Form(self.env["recouvrement.legal.recovery"].with_context(default_case_id=self.case.id))
        self.assertEqual(wizard.amount, 1200.0, "proposes what is left")
        self.assertEqual(wizard.journal_id, self.bank)
        wizard.amount = 360.0
        wizard.date = date(2027, 2, 10)
        move = self.env["account.move"].browse(wizard.save().action_confirm()["res_id"])
        self.assertEqual(self._balances(move), {"411100": 360.0, "771400": -300.0, "445710": -60.0})
        self.assertEqual(move.state, "posted")
        self.assertEqual(self.company.legal_recovery_income_account_id.code, "771400")
        receivable = move.line_ids.filtered(lambda aml: aml.account_id.code == "411100")
        self.assertTrue(receivable.reconciled, "reconciled with the payment received")
        payment_line = receivable.matched_credit_ids.credit_move_id
        self.assertEqual(payment_line.payment_id.amount, 360.0)
        self.assertEqual(payment_line.payment_id.journal_id, self.bank)
        self.assertEqual(self.case.amount_recovered_after_writeoff, 360.0)
        self.assertEqual(self.case.amount_recovered, 360.0)
        self.assertEqual(self.case.recovery_move_ids, move)
        self.assertIn(move, self.case.accounting_move_ids, "listed with the doubtful-debt entries")
        self.assertEqual(self.customer.with_company(self.company).credit, 0.0, "nothing left open")

    def test_recovery_from_a_payment_received_then_the_rest(self):
        """A payment registered on the customer (nothing left to reconcile it with) is taken by the
        recovery; the last recovery collects exactly the VAT left, without rounding drift."""
        payment = self._customer_payment(700.0, date(2027, 1, 5))
        payment_line = payment.move_id.line_ids.filtered(lambda aml: aml.account_id.code == "411100")
        wizard = Form(self.env["recouvrement.legal.recovery"].with_context(default_case_id=self.case.id))
        self.assertEqual(wizard.payment_line_id, payment_line, "the payment received since is proposed")
        self.assertEqual(wizard.amount, 700.0)
        wizard.amount = 333.33
        wizard.save().action_confirm()
        self.assertEqual(payment_line.amount_residual, -366.67, "the rest of the payment stays open")
        first = self.case.recovery_move_ids
        self.assertEqual(self._balances(first), {"411100": 333.33, "771400": -277.77, "445710": -55.56})
        last = self.case._book_recovery(866.67, date(2027, 3, 1))
        self.assertEqual(self._balances(last), {"411100": 866.67, "771400": -722.23, "445710": -144.44})
        vat = sum(
            self.case.recovery_move_ids.line_ids.filtered(lambda a: a.account_id.code == "445710").mapped(
                "balance"
            )
        )
        self.assertAlmostEqual(vat, -200.0, msg="all the VAT regularised is collected again")
        self.assertEqual(self.case._get_recoverable_amount(), 0.0)
        for entry in self.case.accounting_move_ids:
            self.assertAlmostEqual(sum(entry.line_ids.mapped("balance")), 0.0)

    def test_bad_recoveries_change_nothing(self):
        entries, payments = self.case.accounting_move_ids, self.env["account.payment"].search_count([])
        with self.assertRaisesRegex(ValidationError, "only .* was written off and is not recovered yet"):
            self.case._book_recovery(1500.0)
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.case._book_recovery(-5.0)
        small = self._customer_payment(100.0, date(2027, 1, 5))
        line = small.move_id.line_ids.filtered(lambda aml: aml.account_id.code == "411100")
        with self.assertRaisesRegex(ValidationError, "only .* of it is not reconciled"):
            self.case._book_recovery(150.0, payment_line=line)
        with self.assertRaisesRegex(ValidationError, "not an open payment received from"):
            self.case._book_recovery(50.0, payment_line=small.move_id.line_ids.filtered("debit"))
        self.assertEqual(self.case.accounting_move_ids, entries, "nothing posted")
        self.assertEqual(
            self.env["account.payment"].search_count([]), payments + 1, "only the test's payment"
        )
        self.assertEqual(self.case.amount_recovered_after_writeoff, 0.0)
        self.assertFalse(line.reconciled)

    def test_nothing_written_off(self):
        invoice = self.invoice.copy({"invoice_date": date(2026, 4, 1)})
        invoice.action_post()
        case = self._open_case(invoice)
        with self.assertRaisesRegex(UserError, "Nothing was written off"):
            case._book_recovery(100.0)

    def test_other_charts_need_the_income_account_set(self):
        self.company.chart_template = "generic_coa"
        self.env["account.account"].search([("code", "=", "771400")]).code = "771499"
        with self.assertRaisesRegex(UserError, "Recovery of Written-off Debts.*no default is known"):
            self.case._book_recovery(100.0)
        self.assertFalse(self.case.recovery_move_ids)
        self.assertEqual(self.env["account.payment"].search_count([("partner_id", "=", self.customer.id)]), 0)
