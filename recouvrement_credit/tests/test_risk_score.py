from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRiskScore(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.factors = cls.env["recouvrement.risk.factor"]
        cls.factors.search([]).active = False
        cls.days_late = cls.factors.create(
            {
                "name": "Days late",
                "factor": "average_days_late",
                "weight": 3,
                "threshold_b": 5,
                "threshold_c": 15,
                "threshold_d": 30,
                "threshold_e": 60,
            }
        )

    def test_good_payer_is_graded_a(self):
        self._invoice(1000, days_late=-10)
        self.assertEqual(self._position().risk_grade, "A")

    def test_grade_follows_the_thresholds(self):
        self._invoice(500, days_late=20)  # average 20 days late: C
        self.assertEqual(self._position().risk_grade, "C")

    def test_weighted_average_of_factors(self):
        self.factors.create(
            {
                "name": "Legal",
                "factor": "legal_case",
                "weight": 1,
                "threshold_b": 1,
                "threshold_c": 1,
                "threshold_d": 1,
                "threshold_e": 1,
            }
        )
        self._invoice(500, days_late=35)  # D (3 points) × 3
        position = self._position()
        self.assertEqual(position.risk_grade, "C")  # (3*3 + 0*1) / 4 = 2.25
        position.sudo().has_legal_case = True  # as the legal addon does: positions are the system's
        self.assertEqual(self._position().risk_grade, "D")  # (9 + 4) / 4 = 3.25

    def test_external_grade_counts_only_when_known(self):
        self.days_late.active = False
        self.factors.create(
            {
                "name": "External",
                "factor": "external_grade",
                "threshold_b": 1,
                "threshold_c": 2,
                "threshold_d": 3,
                "threshold_e": 4,
            }
        )
        self.assertFalse(self._position().risk_grade)
        self.customer.credit_external_grade = "D"
        self.assertEqual(self._position().risk_grade, "D")

    def test_grade_can_require_prepayment_and_block(self):
        self.company.credit_prepayment_grade = "D"
        self._rule("prepayment")
        self._invoice(100, days_late=10)  # B
        position = self._position()
        self.assertFalse(position.prepayment_required)
        self._invoice(100, days_late=70)  # average 40 days: D
        position = self._position()
        self.assertTrue(position.prepayment_required)
        self.assertEqual(position.status, "blocked")
        with self.assertRaisesRegex(UserError, "prepayment required"):
            self._order(10).with_user(self.salesman).action_confirm()

    def test_risk_grade_rule(self):
        self._rule("risk_grade", risk_grade="D")
        self._invoice(100, days_late=20)
        self.assertEqual(self._position().status, "ok")  # C
        self._invoice(100, days_late=100)  # average 60: E
        self.assertIn("risk grade E", self._position().reasons)

    def test_changing_a_factor_redecides_every_position(self):
        self._invoice(500, days_late=20)
        position = self._position()
        self.days_late.threshold_c = 25
        self.assertFalse(position.refresh_date)  # queued for the refresh scheduled action
        self.positions._cron_refresh()
        self.assertEqual(position.risk_grade, "B")

    def test_bad_factors_are_refused(self):
        with self.assertRaises(ValidationError):
            self.days_late.threshold_c = 1  # below B
        with self.assertRaises(ValidationError):
            self.days_late.weight = 0

    def test_external_scores_import_with_the_standard_import(self):
        """What Odoo's CSV import does with a file of agency scores (no network call involved)."""
        self.customer.with_user(self.manager).action_refresh_credit_position()
        xml_id = (
            self.customer.get_external_id()[self.customer.id] or self.customer._export_rows([["id"]])[0][0]
        )
        result = self.env["res.partner"].load(
            [
                "id",
                "credit_external_agency",
                "credit_external_score",
                "credit_external_rating_date",
                "credit_external_grade",
            ],
            [[xml_id, "Agence de notation", "3++", "2026-05-31", "B"]],
        )
        self.assertFalse(result["messages"])
        self.assertRecordValues(
            self.customer,
            [
                {
                    "credit_external_agency": "Agence de notation",
                    "credit_external_score": "3++",
                    "credit_external_grade": "B",
                }
            ],
        )
