from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .penalty_common import D, PenaltyCommon

# Each case: an invoice (amount, due date(s)), payments (date, amount), the day of the computation,
# the customer's policy and status, and the expected periods (from, to, base, rate %, days, day count,
# amount), interest and indemnity, computed by hand from the official figures (legal-fr-eu.md 2.1-2.3):
# amount = base × rate × days / (100 × day count), rounded to the cent per period.
CASES = [
    {
        # The reference's worked example. ECB on 2025-01-01 = 3.15 -> 13.15 %;
        # on 2025-07-01 = 2.15 -> 12.15 %.
        # 10,000 × 13.15 % × 91/365 = 327.849 -> 327.85 (1 Apr-30 Jun)
        # 10,000 × 12.15 % × 46/365 = 153.123 -> 153.12 (1 Jul-15 Aug); 480.97 + 40 indemnity
        "name": "worked example",
        "amount": 10000,
        "due": "2025-03-31",
        "payments": [("2025-08-15", 10000)],
        "on": "2025-09-30",
        "periods": [
            ("2025-04-01", "2025-06-30", 10000, 13.15, 91, 365, 327.85),
            ("2025-07-01", "2025-08-15", 10000, 12.15, 46, 365, 153.12),
        ],
        "interest": 480.97,
        "indemnity": 40,
    },
    {
        # Still open on the given date: 5,000 × 12.15 % × 31/365 = 51.596 -> 51.60
        "name": "open at a given date",
        "amount": 5000,
        "due": "2025-06-30",
        "on": "2025-07-31",
        "periods": [("2025-07-01", "2025-07-31", 5000, 12.15, 31, 365, 51.60)],
        "interest": 51.60,
        "indemnity": 40,
    },
    {
        # Three semesters. ECB on 2024-01-01 = 4.50 -> 14.50 %; on 2024-07-01 = 4.25 -> 14.25 %;
        # on 2025-01-01 = 3.15 -> 13.15 %.
        # 1,000 × 14.50 % × 30/365 = 11.918 -> 11.92; 1,000 × 14.25 % × 184/365 = 71.836 -> 71.84;
        # 1,000 × 13.15 % × 45/365 = 16.212 -> 16.21; total 99.97
        "name": "three semesters",
        "amount": 1000,
        "due": "2024-05-31",
        "payments": [("2025-02-14", 1000)],
        "on": "2025-03-31",
        "periods": [
            ("2024-06-01", "2024-06-30", 1000, 14.50, 30, 365, 11.92),
            ("2024-07-01", "2024-12-31", 1000, 14.25, 184, 365, 71.84),
            ("2025-01-01", "2025-02-14", 1000, 13.15, 45, 365, 16.21),
        ],
        "interest": 99.97,
        "indemnity": 40,
    },
    {
        # Two partial payments, the day of a payment is late on the amount before it (12.15 %):
        # 6,000 × 12.15 % × 31/365 = 61.915 -> 61.92 (1-31 Aug); 4,000 × 12.15 % × 30/365 = 39.945 -> 39.95
        # (1-30 Sep); 3,000 × 12.15 % × 31/365 = 30.957 -> 30.96 (1-31 Oct); total 132.83
        "name": "two partial payments",
        "amount": 6000,
        "due": "2025-07-31",
        "payments": [("2025-08-31", 2000), ("2025-09-30", 1000)],
        "on": "2025-10-31",
        "periods": [
            ("2025-08-01", "2025-08-31", 6000, 12.15, 31, 365, 61.92),
            ("2025-09-01", "2025-09-30", 4000, 12.15, 30, 365, 39.95),
            ("2025-10-01", "2025-10-31", 3000, 12.15, 31, 365, 30.96),
        ],
        "interest": 132.83,
        "indemnity": 40,
    },
    {
        # A payment before the due date lowers the base: 600 × 12.15 % × 30/365 = 5.992 -> 5.99
        "name": "partial payment before the due date",
        "amount": 1000,
        "due": "2025-07-31",
        "payments": [("2025-07-15", 400)],
        "on": "2025-08-30",
        "periods": [("2025-08-01", "2025-08-30", 600, 12.15, 30, 365, 5.99)],
        "interest": 5.99,
        "indemnity": 40,
    },
    {
        # Leap year, actual/actual: 29 Feb-31 Mar 2024 = 32 days, 14.50 %:
        # 10,000 × 14.50 % × 32/366 = 126.776 -> 126.78 (it would be 127.12 on 365 days)
        "name": "leap year actual/actual",
        "amount": 10000,
        "due": "2024-02-28",
        "payments": [("2024-03-31", 10000)],
        "on": "2024-04-30",
        "policy": "b2b_actual",
        "periods": [("2024-02-29", "2024-03-31", 10000, 14.50, 32, 366, 126.78)],
        "interest": 126.78,
        "indemnity": 40,
    },
    {
        # Consumer, legal rate "other cases" (the creditor is a business) from the day after the formal
        # notice of 20 June 2025: 2,000 × 3.71 % × 10/365 = 2.033 -> 2.03 (21-30 Jun);
        # 2,000 × 2.76 % × 20/365 = 3.025 -> 3.02 (1-20 Jul); total 5.05, no indemnity
        "name": "consumer from the formal notice",
        "amount": 2000,
        "due": "2025-05-31",
        "on": "2025-07-20",
        "policy": "consumer",
        "is_company": False,
        "formal_notice": "2025-06-20",
        "periods": [
            ("2025-06-21", "2025-06-30", 2000, 3.71, 10, 365, 2.03),
            ("2025-07-01", "2025-07-20", 2000, 2.76, 20, 365, 3.02),
        ],
        "interest": 5.05,
        "indemnity": 0,
    },
    {
        # Consumer without formal notice: nothing runs yet, with a reason.
        "name": "consumer without formal notice",
        "amount": 2000,
        "due": "2025-05-31",
        "on": "2025-07-20",
        "policy": "consumer",
        "is_company": False,
        "periods": [],
        "interest": 0,
        "indemnity": 0,
        "warning": "formal notice",
    },
    {
        # Public buyer: the delay starts on 1 Apr 2025 (2025-S1), ECB on 2025-01-01 = 3.15 -> 11.15 %
        # frozen: 10,000 × 11.15 % × 91/365 = 277.986 -> 277.99; 10,000 × 11.15 % × 46/365 = 140.521
        # -> 140.52; total 418.51 + 40
        "name": "public buyer, frozen rate",
        "amount": 10000,
        "due": "2025-03-31",
        "payments": [("2025-08-15", 10000)],
        "on": "2025-09-30",
        "policy": "public",
        "periods": [
            ("2025-04-01", "2025-06-30", 10000, 11.15, 91, 365, 277.99),
            ("2025-07-01", "2025-08-15", 10000, 11.15, 46, 365, 140.52),
        ],
        "interest": 418.51,
        "indemnity": 40,
    },
    {
        # Contractual 5 % < 3 × 2.76 % = 8.28 % in 2025-S2, the policy keeps it: computed, with a
        # warning (by default the floor applies: test_penalty_edge_cases).
        # 10,000 × 5 % × 30/365 = 41.096 -> 41.10
        "name": "contractual rate below the floor",
        "amount": 10000,
        "due": "2025-06-30",
        "payments": [("2025-07-30", 10000)],
        "on": "2025-08-31",
        "policy": "contractual_5_kept",
        "periods": [("2025-07-01", "2025-07-30", 10000, 5.0, 30, 365, 41.10)],
        "interest": 41.10,
        "indemnity": 40,
        "warning": "8.28",
    },
    {
        # Contractual 15 % >= 8.28 %: no warning. 10,000 × 15 % × 30/365 = 123.288 -> 123.29
        "name": "contractual rate above the floor",
        "amount": 10000,
        "due": "2025-06-30",
        "payments": [("2025-07-30", 10000)],
        "on": "2025-08-31",
        "policy": "contractual_15",
        "periods": [("2025-07-01", "2025-07-30", 10000, 15.0, 30, 365, 123.29)],
        "interest": 123.29,
        "indemnity": 40,
    },
    {
        # Insolvency proceedings: interest, no indemnity. 1,000 × 12.15 % × 30/365 = 9.986 -> 9.99
        "name": "insolvency",
        "amount": 1000,
        "due": "2025-07-31",
        "on": "2025-08-30",
        "insolvency": True,
        "periods": [("2025-08-01", "2025-08-30", 1000, 12.15, 30, 365, 9.99)],
        "interest": 9.99,
        "indemnity": 0,
        "warning": "insolvency",
    },
    {
        # Two instalments of 1,000 (invoice of 1 Mar 2025, 30 and 60 days), open, 13.15 %:
        # 1,000 × 13.15 % × 61/365 = 21.977 -> 21.98 (1 Apr-31 May);
        # 1,000 × 13.15 % × 31/365 = 11.168 -> 11.17 (1-31 May); total 33.15, ONE indemnity
        "name": "instalments",
        "amount": 2000,
        "invoice_date": "2025-03-01",
        "instalments": True,
        "on": "2025-05-31",
        "periods": [
            ("2025-04-01", "2025-05-31", 1000, 13.15, 61, 365, 21.98),
            ("2025-05-01", "2025-05-31", 1000, 13.15, 31, 365, 11.17),
        ],
        "interest": 33.15,
        "indemnity": 40,
    },
    {
        # Paid on the due date: nothing.
        "name": "paid on time",
        "amount": 1000,
        "due": "2025-03-31",
        "payments": [("2025-03-31", 1000)],
        "on": "2025-06-30",
        "periods": [],
        "interest": 0,
        "indemnity": 0,
    },
    {
        # Belgium-like: ECB + 8 rounded up to the half point: 3.15 + 8 = 11.15 -> 11.5;
        # 2.15 + 8 = 10.15 -> 10.5. 10,000 × 11.5 % × 91/365 = 286.712 -> 286.71;
        # 10,000 × 10.5 % × 46/365 = 132.329 -> 132.33; total 419.04
        "name": "ECB + 8 rounded up to 0.5",
        "amount": 10000,
        "due": "2025-03-31",
        "payments": [("2025-08-15", 10000)],
        "on": "2025-09-30",
        "policy": "be",
        "periods": [
            ("2025-04-01", "2025-06-30", 10000, 11.5, 91, 365, 286.71),
            ("2025-07-01", "2025-08-15", 10000, 10.5, 46, 365, 132.33),
        ],
        "interest": 419.04,
        "indemnity": 40,
    },
]


@tagged("post_install", "-at_install")
class TestLatePaymentPenalty(PenaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["recouvrement.penalty.policy"]
        cls.policies = {
            "b2b": cls.policy_b2b,
            "b2b_actual": cls.policy_b2b.copy({"day_count": "actual"}),
            "consumer": cls.policy_consumer,
            "public": cls.policy_public,
            "contractual": cls.policy_contractual,
            "contractual_15": cls.policy_contractual.copy({"fixed_rate": 15.0}),
            "contractual_5_kept": cls.policy_contractual.copy(
                {"fixed_rate": 5.0, "keep_rate_below_floor": True}
            ),
            "be": Policy.create(
                {
                    "name": "BE",
                    "kind": "eu_directive",
                    "ecb_margin": 8,
                    "rate_rounding": 0.5,
                    "indemnity_amount": 40,
                }
            ),
        }

    def _run_case(self, case):
        partner = self._customer(
            case["name"],
            is_company=case.get("is_company", True),
            policy=self.policies[case.get("policy", "b2b")],
            insolvency=case.get("insolvency", False),
        )
        if case.get("instalments"):
            invoice = self._late_invoice(
                case["amount"], None, partner, self._two_instalments(), D(case["invoice_date"])
            )
        else:
            invoice = self._late_invoice(case["amount"], D(case["due"]), partner)
        if case.get("formal_notice"):
            invoice.formal_notice_date = D(case["formal_notice"])
        for day, amount in case.get("payments", []):
            self._pay_on(invoice, amount, D(day))
        return invoice.get_late_payment_penalty(D(case["on"]))

    def test_cases(self):
        for case in CASES:
            with self.subTest(case=case["name"]):
                result = self._run_case(case)
                periods = [
                    (
                        str(p["date_from"]),
                        str(p["date_to"]),
                        p["base"],
                        p["rate"],
                        p["days"],
                        p["day_count"],
                        p["amount"],
                    )
                    for p in result["periods"]
                ]
                expected = [(D(f).isoformat(), D(t).isoformat(), *rest) for f, t, *rest in case["periods"]]
                self.assertEqual(periods, expected)
                self.assertAlmostEqual(result["interest"], case["interest"], places=2)
                self.assertAlmostEqual(result["indemnity"], case["indemnity"], places=2)
                self.assertAlmostEqual(result["total"], case["interest"] + case["indemnity"], places=2)
                self.assertEqual(result["currency"], self.eur)
                if case.get("warning"):
                    self.assertTrue(any(case["warning"] in w for w in result["warnings"]), result["warnings"])
                else:
                    self.assertFalse(result["warnings"])

    def test_missing_semester_names_it(self):
        # 2026-S2 is not published yet: the computation stops and says which semester is missing.
        invoice = self._late_invoice(1000, D("2026-05-31"))
        with self.assertRaisesRegex(UserError, "2nd semester 2026"):
            invoice.get_late_payment_penalty(D("2026-07-15"))
        # Up to the end of 2026-S1 it computes: 1,000 × 12.15 % × 30/365 = 9.986 -> 9.99
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2026-06-30"))["interest"], 9.99)

    def test_added_semester_unblocks(self):
        invoice = self._late_invoice(1000, D("2026-06-30"))
        self.env["recouvrement.legal.rate"].create(
            {"date_from": "2026-07-01", "date_to": "2026-12-31", "rate_individual": 6.5, "rate_other": 2.5}
        )
        # Both tables confirmed that far (the ECB rate after checking its decisions)
        params = self.env["ir.config_parameter"]
        params.set_param("recouvrement_credit.legal_rate_confirmed_until", "2026-12-31")
        params.set_param("recouvrement_credit.ecb_rate_confirmed_until", "2026-12-31")
        # ECB still 2.15 on 2026-07-01: 1,000 × 12.15 % × 31/365 = 10.32
        self.assertAlmostEqual(invoice.get_late_payment_penalty(D("2026-07-31"))["interest"], 10.32)

    def test_policy_precedence(self):
        term = self.env["account.payment.term"].create(
            {"name": "Contract", "late_payment_policy_id": self.policy_contractual.id}
        )
        invoice = self._late_invoice(1000, None, payment_term=term, invoice_date=D("2025-03-01"))
        self.assertEqual(invoice._get_penalty_policy(), self.policy_contractual)
        self.customer.with_company(self.company).late_payment_policy_id = self.policy_public
        self.assertEqual(invoice._get_penalty_policy(), self.policy_public)

    def test_fees_hook(self):
        invoice = self._late_invoice(1000, D("2025-07-31"))
        fees = [{"label": "Reminder fee (level 2)", "amount": 15.0}]
        with self.patch_fees(fees):
            result = invoice.get_late_payment_penalty(D("2025-08-30"))
        self.assertEqual(result["fees"], fees)
        self.assertAlmostEqual(result["total"], 9.99 + 40 + 15)
        # Never to a consumer
        consumer = self._customer("Consumer", is_company=False, policy=self.policy_consumer)
        invoice = self._late_invoice(1000, D("2025-07-31"), consumer)
        with self.patch_fees(fees):
            result = invoice.get_late_payment_penalty(D("2025-08-30"))
        self.assertEqual(result["fees"], [])

    def patch_fees(self, fees):
        return patch.object(
            type(self.env["account.move"]), "_get_late_payment_fees", lambda self, on_date: fees
        )

    def test_breakdown_on_the_invoice(self):
        invoice = self._late_invoice(10000, D("2025-03-31"))
        self._pay_on(invoice, 10000, D("2025-08-15"))
        with freeze_time("2025-09-30"):
            invoice.invalidate_recordset(["late_payment_penalty_html"])
            html = str(invoice.late_payment_penalty_html)
        self.assertIn("327.85", html)
        self.assertIn("153.12", html)
        self.assertIn("520.97", html)
        # A missing semester is shown, not raised
        late = self._late_invoice(1000, D("2026-05-31"))
        with freeze_time("2026-07-15"):
            html = str(late.late_payment_penalty_html)
        self.assertIn("2nd semester 2026", html)
        self.assertIn("Fixed recovery indemnity", html, "the indemnity needs no rate")
        self.assertIn("40.00", html)

    def test_collector_reads_the_breakdown(self):
        invoice = self._late_invoice(1000, D("2025-07-31"))
        result = invoice.with_user(self.collector).get_late_payment_penalty(D("2025-08-30"))
        self.assertAlmostEqual(result["interest"], 9.99)
