from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .reporting_common import ReportingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15")
class TestPositionCollectionFigures(ReportingCommon):
    """The customer's own figures over the 12 months to 15 June 2026, by hand.

    W 500 (1 February 2025, paid 1 March 2025) is older than the window. X 1,000 (1 March, due
    31 March) was paid on 20 April; Y 600 (1 May, due 31 May) and Z 400 (1 June, due 1 July) are
    open: invoiced 2,000, collected 1,000, receivables 1,000 of which 600 overdue.
    Promises due in the window: one kept, one broken (a cancelled one is left out).
    Reminders: X reached level 1 on 5 April and was paid before any other level (cured); Y reached
    level 1 on 5 June and is still open (not cured)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        old = cls._invoice_on(500.0, date(2025, 2, 1), date(2025, 3, 1))
        cls._pay_on(old, 500.0, date(2025, 3, 1))
        x = cls._invoice_on(1000.0, date(2026, 3, 1), date(2026, 3, 31))
        y = cls._invoice_on(600.0, date(2026, 5, 1), date(2026, 5, 31))
        cls._invoice_on(400.0, date(2026, 6, 1), date(2026, 7, 1))
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls._invoice_on(300.0, date(2026, 5, 1), date(2026, 5, 31), partner=cls.other)
        x_item, y_item = (cls._receivable(move) for move in (x, y))
        for items, day, state in ((x_item, date(2026, 4, 15), "kept"), (y_item, date(2026, 6, 5), "broken"),
                                  (y_item, date(2026, 6, 10), "cancelled")):  # fmt: skip
            with freeze_time("2026-04-01"):  # recorded before the promised date
                promise = cls.env["recouvrement.promise"].create(
                    {
                        "partner_id": cls.customer.id,
                        "move_line_ids": [Command.set(items.ids)],
                        "amount": items.balance,
                        "date": day,
                    }
                )
            promise.state = state
        level_1 = cls.env.ref("recouvrement_credit.dunning_level_standard_1")
        for day, item in ((date(2026, 4, 5), x_item), (date(2026, 6, 5), y_item)):
            # sudo: reminders are created by the dunning run only, the fixture stands in for it
            cls.env["recouvrement.dunning.communication"].sudo().create(
                {
                    "date": day,
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "currency_id": cls.currency.id,
                    "level_id": level_1.id,
                    "state": "sent",
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": item.id,
                                "move_id": item.move_id.id,
                                "level_id": level_1.id,
                                "advanced": True,
                                "amount_residual": item.balance,
                            }
                        )
                    ],
                }
            )
        cls._pay_on(x, 1000.0, date(2026, 4, 20))
        cls.env.cr.precommit.run()  # the positions' refresh, as at commit

    @classmethod
    def _receivable(cls, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def _position(self, partner):
        return self.positions.search([("partner_id", "=", partner.id), ("company_id", "=", self.company.id)])

    def test_customer_figures(self):
        position = self._position(self.customer)
        self.assertAlmostEqual(position.collection_invoiced, 2000.0)
        self.assertAlmostEqual(position.collection_collected, 1000.0)
        self.assertAlmostEqual(position.collection_dso, 1000 / 2000 * 365)
        self.assertAlmostEqual(position.collection_overdue_share, 60.0)
        self.assertEqual(position.collection_promises_due, 2)
        self.assertAlmostEqual(position.collection_promise_kept_rate, 50.0)
        self.assertEqual(position.collection_levels_reached, 2)
        self.assertAlmostEqual(position.collection_cure_rate, 50.0)

    def test_figures_of_several_positions_in_one_go(self):
        fields = ["collection_invoiced", "collection_dso", "collection_cure_rate"]

        def queries_to_read(positions):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = positions.read(fields)
            return self.env.cr.sql_log_count - before, values

        queries_to_read(self._position(self.customer))  # warm-up: what the first read caches
        one, __ = queries_to_read(self._position(self.customer))
        both, values = queries_to_read(self._position(self.customer) | self._position(self.other))
        self.assertEqual(one, both, "the same few aggregates, whatever the number of customers")
        by_id = {row["id"]: row for row in values}
        other = by_id[self._position(self.other).id]
        self.assertAlmostEqual(other["collection_invoiced"], 300.0)
        self.assertAlmostEqual(other["collection_dso"], 365.0)
        self.assertEqual(other["collection_cure_rate"], 0.0)

    def test_customer_form_shows_them(self):
        form = self.env["res.partner"].with_user(self.collector).get_views([(False, "form")])
        arch = form["views"]["form"]["arch"]
        self.assertIn("collection_dso", arch)
        self.assertIn("collection_cure_rate", arch)
