from datetime import date

from odoo import Command
from odoo.tests import tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalKpi(LegalCommon):
    """The legal figures of the collections KPIs, May to July 2026, by hand: invoice A 1,200 (due
    31 March) goes to a legal case and is reclassified as doubtful (416) on 1 June, 200 of it paid on
    20 June; invoice B 800 (due 31 May) stays on 411. Costs: 300 on 10 June, 150 on 5 July.
    The French chart, for the 416 account (skipped without l10n_fr_account, as the accounting tests)."""

    chart_template = "fr"
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoice_a = cls._post_invoice(1200.0, date(2026, 3, 1), date(2026, 3, 31))
        cls._post_invoice(800.0, date(2026, 5, 1), date(2026, 5, 31))
        case = cls.Case._open_for_items(
            invoice_a.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        )
        case._reclassify_doubtful(date(2026, 6, 1))
        doubtful_account = cls.company._get_legal_account("legal_doubtful_account_id")
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 200.0,
                "date": date(2026, 6, 20),
                "destination_account_id": doubtful_account.id,
            }
        )
        payment.action_post()
        (
            payment.move_id.line_ids.filtered(lambda aml: aml.account_id == doubtful_account)
            | case.line_ids.doubtful_line_id
        ).reconcile()
        cls.env["recouvrement.legal.cost"].create(
            [
                {"case_id": case.id, "date": date(2026, 6, 10), "kind": "commissaire", "amount": 300.0},
                {
                    "case_id": case.id,
                    "date": date(2026, 7, 5),
                    "kind": "lawyer",
                    "amount": 150.0,
                    "bearer": "debtor",
                },
            ]
        )

    @classmethod
    def _post_invoice(cls, amount, invoice_date, due):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product_a.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    def _months(self, **values):
        kpi = self.env["recouvrement.collections.kpi"].create(
            {
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 7, 31),
                "company_id": self.company.id,
                **values,
            }
        )
        return {row["month"].month: row for row in kpi._get_monthly_values()}

    def test_doubtful_share(self):
        months = self._months()
        self.assertAlmostEqual(months[5]["doubtful"], 0.0)
        self.assertAlmostEqual(months[5]["ar"], 2000.0)
        self.assertAlmostEqual(months[6]["doubtful"], 1000.0)  # 1,200 reclassified less 200 paid
        self.assertAlmostEqual(months[6]["ar"], 1800.0)  # 1,000 on 416 + 800 on 411
        self.assertAlmostEqual(months[6]["doubtful_share"], 1000 / 1800 * 100)
        self.assertAlmostEqual(months[7]["doubtful"], 1000.0)

    def test_legal_costs(self):
        months = self._months()
        self.assertNotIn("legal_costs", months[5])
        self.assertAlmostEqual(months[6]["legal_costs"], 300.0)
        self.assertAlmostEqual(months[7]["legal_costs"], 150.0)  # whoever bears them

    def test_segment_filter(self):
        months = self._months(country_ids=self.env.ref("base.be").ids)
        self.assertAlmostEqual(months[6]["doubtful"], 0.0)
        self.assertNotIn("legal_costs", months[6])
