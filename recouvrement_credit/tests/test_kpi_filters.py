from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
class TestKpiFilters(ReportingCommon):
    """KPIs over two companies, two collectors and two segments, April and May 2026, by hand.

    Company A: Boulangerie (collector 1, tag Retail, France) 1,000 on 10 April due 10 May, paid
    20 April; Brasserie (collector 2, Belgium) 2,000 on 12 April due 12 May, 500 paid 20 May.
    Company B: Boulangerie (collector 2 there) 4,000 on 15 April due 15 May, unpaid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Filiale Lyon")["company"]
        cls.collector_2 = cls._new_user("collector_2", "recouvrement_credit.group_user")
        cls.retail = cls.env["res.partner.category"].create({"name": "Retail"})
        cls.customer.write(
            {"country_id": cls.env.ref("base.fr").id, "category_id": [Command.set(cls.retail.ids)]}
        )
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "Brasserie Test", "is_company": True, "country_id": cls.env.ref("base.be").id}
        )
        cls.customer.with_company(cls.company).dunning_collector_id = cls.collector
        cls.customer.with_company(cls.company_b).dunning_collector_id = cls.collector_2
        cls.customer_2.with_company(cls.company).dunning_collector_id = cls.collector_2
        first = cls._invoice_on(1000.0, date(2026, 4, 10), date(2026, 5, 10))
        second = cls._invoice_on(2000.0, date(2026, 4, 12), date(2026, 5, 12), partner=cls.customer_2)
        cls._invoice_in_b(4000.0, date(2026, 4, 15), date(2026, 5, 15))
        cls._pay_on(first, 1000.0, date(2026, 4, 20))
        cls._pay_on(second, 500.0, date(2026, 5, 20))

    @classmethod
    def _invoice_in_b(cls, amount, invoice_date, due):
        move = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create(
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
        )
        move.action_post()
        return move

    def _kpi(self, **values):
        return self.env["recouvrement.collections.kpi"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 5, 31), **values}
        )

    def _april(self, **values):
        return self._kpi(**values)._get_monthly_values()[0]

    def test_companies(self):
        self.assertAlmostEqual(self._april(company_id=self.company.id)["credit_sales"], 3000.0)
        self.assertAlmostEqual(self._april(company_ids=self.company_b.ids)["credit_sales"], 4000.0)
        both = self._april(company_ids=(self.company | self.company_b).ids)
        self.assertAlmostEqual(both["credit_sales"], 7000.0)
        self.assertAlmostEqual(both["ar"], 6000.0)
        self.assertAlmostEqual(both["current_ar"], 6000.0)  # all due in May
        self.assertAlmostEqual(both["cei"], 1000 / 1000 * 100)  # 0 + 7,000 − 6,000 over 0 + 7,000 − 6,000

    def test_collector_filter_follows_the_company(self):
        companies = (self.company | self.company_b).ids
        first = self._april(company_ids=companies, collector_user_ids=self.collector.ids)
        self.assertAlmostEqual(first["credit_sales"], 1000.0)  # Boulangerie in A only
        self.assertAlmostEqual(first["ar"], 0.0)
        second = self._april(company_ids=companies, collector_user_ids=self.collector_2.ids)
        self.assertAlmostEqual(second["credit_sales"], 6000.0)  # Brasserie in A, Boulangerie in B
        self.assertAlmostEqual(second["ar"], 6000.0)

    def test_segment_filters(self):
        companies = (self.company | self.company_b).ids
        retail = self._april(company_ids=companies, partner_category_ids=self.retail.ids)
        self.assertAlmostEqual(retail["credit_sales"], 5000.0)
        belgium = self._april(company_ids=companies, country_ids=self.env.ref("base.be").ids)
        self.assertAlmostEqual(belgium["credit_sales"], 2000.0)
        self.assertAlmostEqual(belgium["ar"], 2000.0)

    def test_collectors_figures(self):
        rows = self._kpi(company_ids=(self.company | self.company_b).ids)._get_collector_values()
        by_key = {(row["month"].month, row["collector_id"]): row for row in rows}
        april_1 = by_key[4, self.collector.id]
        self.assertAlmostEqual(april_1["collected"], 1000.0)
        self.assertAlmostEqual(april_1["cei"], 100.0)  # (0 + 1,000 − 0) / (0 + 1,000 − 0)
        self.assertNotIn((4, self.collector_2.id), by_key)  # nothing collected, nothing due yet
        may_2 = by_key[5, self.collector_2.id]
        self.assertAlmostEqual(may_2["collected"], 500.0)
        self.assertAlmostEqual(may_2["overdue"], 5500.0)  # 1,500 in A + 4,000 in B
        self.assertAlmostEqual(may_2["cei"], (6000 - 5500) / (6000 - 0) * 100)
        only_1 = self._kpi(
            company_ids=(self.company | self.company_b).ids, collector_user_ids=self.collector.ids
        )._get_collector_values()
        self.assertEqual({row["collector_id"] for row in only_1}, {self.collector.id})

    def test_currencies_and_access(self):
        chf = self.env.ref("base.CHF")
        chf.active = True
        other = self.setup_other_company(name="Filiale Genève", currency_id=chf.id)["company"]
        with self.assertRaisesRegex(UserError, "share a currency"):
            self._kpi(company_ids=(self.company | other).ids)
        # a collector of company A alone sees neither B's figures nor A's and B's together
        with self.assertRaises(AccessError):
            self.env["recouvrement.collections.kpi"].with_user(self.collector).create(
                {
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 4, 30),
                    "company_ids": self.company_b.ids,
                }
            )._get_monthly_values()
