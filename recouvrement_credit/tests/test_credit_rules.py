from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import format_amount, get_lang

from .credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditRules(CreditCommon):
    def _confirm_as(self, user, order):
        return order.with_user(user).action_confirm()

    # over the limit, tolerance, warning ------------------------------------------------------

    def test_order_over_the_limit_is_blocked_for_salespeople(self):
        self._rule("over_limit")
        self._invoice(700)
        order = self._order(400)
        with self.assertRaisesRegex(UserError, "exposure .*1,100.00.* for a credit limit of .*1,000.00"):
            self._confirm_as(self.salesman, order)
        self.assertEqual(order.state, "draft")

    def test_order_within_the_limit_goes_through(self):
        self._rule("over_limit")
        self._invoice(500)
        order = self._order(400)
        self._confirm_as(self.salesman, order)
        self.assertEqual(order.state, "sale")

    def test_tolerance_lets_a_share_over_the_limit_through(self):
        self._rule("over_limit", limit_percent=110)
        self._invoice(700)
        within, beyond = self._order(350), self._order(500)
        self._confirm_as(self.salesman, within)  # 1050 <= 1100
        self.assertEqual(within.state, "sale")
        with self.assertRaises(UserError):
            self._confirm_as(self.salesman, beyond)  # 1550 > 1100

    def test_warning_rule_never_blocks_but_is_logged(self):
        self._rule("over_limit", limit_percent=90, sale_effect="warning")
        self._invoice(800)
        order = self._order(150)
        self._confirm_as(self.salesman, order)
        self.assertEqual(order.state, "sale")
        self.assertTrue(any("credit warning" in body for body in order.message_ids.mapped("body")))
        self.assertEqual(self._position().status, "warning")

    def test_no_limit_means_no_limit_rule(self):
        self._rule("over_limit")
        self.customer.credit_limit = 0.0
        self._invoice(5000)
        self.assertEqual(self._position().status, "ok")

    def test_company_not_using_limits_ignores_them(self):
        self._rule("over_limit")
        self.company.account_use_credit_limit = False
        self._invoice(5000)
        self.assertEqual(self._position().status, "ok")

    # overdue rules ---------------------------------------------------------------------------

    def test_invoice_overdue_beyond_n_days(self):
        self._rule("overdue_days", days=60)
        self._invoice(450, days_late=61)
        self._invoice(300, days_late=59)
        position = self._position()
        self.assertEqual(position.status, "blocked")
        self.assertIn("1 invoice overdue by more than 60 days", position.reasons)
        self.assertIn("450.00", position.reasons)

    def test_several_invoices_overdue_are_counted(self):
        self._rule("overdue_days", days=30)
        self._invoice(1000, days_late=31)
        self._invoice(2000, days_late=45)
        self.assertIn("2 invoices overdue by more than 30 days", self._position().reasons)

    def test_decision_never_rests_on_yesterdays_position(self):
        self._rule("overdue_days", days=30)
        self._invoice(100, days_late=29)
        self.assertEqual(self._position().status, "ok")
        # nothing changed, but two days later the invoice is 31 days late
        with freeze_time("2026-06-17"), self.assertRaisesRegex(UserError, "more than 30 days"):
            self._order(10).with_user(self.salesman).action_confirm()

    def test_decision_sees_this_transactions_changes(self):
        self._rule("over_limit")
        self.assertEqual(self._position().status, "ok")
        self._invoice(990)  # not committed yet: the stored position does not know it
        with self.assertRaises(UserError):
            self._order(20).with_user(self.salesman).action_confirm()

    def test_overdue_amount_threshold(self):
        self._rule("overdue_amount", amount=500)
        self._invoice(400, days_late=5)
        self.assertEqual(self._position().status, "ok")
        self._invoice(200, days_late=5)
        self.assertEqual(self._position().status, "blocked")

    # facts set by other features (hooks) -----------------------------------------------------

    def test_dunning_level_and_legal_case_hooks(self):
        rule = self._rule("dunning_level", dunning_level=3)
        item = self._invoice(100.0, days_late=20).line_ids.filtered("date_maturity")
        self.assertEqual(self._position().status, "ok")
        item.dunning_level_id = self.env.ref("recouvrement_credit.dunning_level_standard_3")
        self.assertEqual(self._position().dunning_level, 3, "the highest level of the open items")
        self.assertEqual(self._position().status, "blocked")
        item.dunning_level_id = self.env.ref("recouvrement_credit.dunning_level_standard_2")
        self.assertEqual(self._position().status, "ok")
        rule.active = False

        self._rule("legal_case")
        position = self._position()
        position.sudo().has_legal_case = True  # as the legal addon does: positions are the system's
        self.assertEqual(self._position().status, "blocked")

    def test_manual_block_blocks_invoices_too(self):
        self._rule("manual_block", invoice_effect="block")
        self.customer.with_user(self.manager).write(
            {"credit_blocked": True, "credit_block_reason": "Chèque impayé"}
        )
        invoice = self._invoice(100, post=False)
        with self.assertRaisesRegex(UserError, "blocked by a credit manager: Chèque impayé"):
            invoice.with_user(self.salesman).action_post()
        self.assertEqual(invoice.state, "draft")

    # credit insurance ------------------------------------------------------------------------

    def test_insurer_cover_caps_the_limit_while_valid(self):
        insurer = self.env["res.partner"].create({"name": "Assureur-crédit", "is_company": True})
        self.customer.write(
            {
                "credit_limit_follows_insurer": True,
                "credit_insurer_id": insurer.id,
                "credit_insurance_amount": 600.0,
                "credit_insurance_date_start": "2026-01-01",
                "credit_insurance_date_end": "2026-12-31",
            }
        )
        self.assertEqual(self._position().credit_limit, 600.0)
        self.customer.credit_insurance_date_end = "2026-06-01"
        self._rule("insurance_expired")
        position = self._position()
        self.assertEqual(position.credit_limit, 1000.0)
        self.assertEqual(position.status, "blocked")
        self.assertIn("credit insurance cover expired", position.reasons)

    # bad input ---------------------------------------------------------------------------------

    def test_bad_rule_parameters_are_refused(self):
        for values in ({"limit_percent": 0}, {"limit_percent": 5000}, {"days": -1}, {"dunning_level": 0}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._rule("over_limit", **values)
        self.assertFalse(self.rules.search([("active", "=", True)]))

    def test_bad_partner_credit_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.customer.credit_limit = -5
        with self.assertRaises(ValidationError):
            self.customer.write(
                {"credit_insurance_date_start": "2026-06-01", "credit_insurance_date_end": "2026-05-01"}
            )
        self.assertEqual(self.customer.credit_limit, 1000.0)
        self.assertFalse(self.customer.credit_insurance_date_end)

    def test_error_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["recouvrement_credit"], ["fr_FR"], overwrite=True)
        self.salesman.lang = "fr_FR"
        self._rule("over_limit")
        self._invoice(1200)
        order = self._order(10).with_context(lang="fr_FR")  # as the web client sends it for a French user
        with self.assertRaisesRegex(
            UserError, "(?s)Demandez une dérogation.*encours .* pour une limite de crédit de"
        ):
            self._confirm_as(self.salesman, order)

    def test_a_changed_rule_decides_the_next_check(self):
        """Decisions read the rules from an ormcache: changing, archiving or adding a rule clears it."""
        rule = self._rule("over_limit")
        self._invoice(1200)
        order = self._order(10)
        self.assertTrue(order._get_credit_blocked())
        rule.limit_percent = 200
        self.assertFalse(order._get_credit_blocked(), "1,210 is within 200 % of the limit")
        rule.limit_percent = 100
        rule.active = False
        self.assertFalse(order._get_credit_blocked(), "an archived rule no longer blocks")
        self._rule("over_limit", sale_effect="warning")
        self.assertFalse(order._get_credit_blocked(), "a warning lets the order through")
        self._rule("over_limit")
        self.assertTrue(order._get_credit_blocked())

    def test_reasons_without_a_language_format_amounts_as_get_lang_does(self):
        """A decision outside any request (a job, the portal's payment) has no language in its
        context: its amounts are written as get_lang picks, in the language of the user's company,
        which the check reads narrowly instead of through the whole user and company records."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env.user.company_id.partner_id.lang = "fr_FR"
        self._rule("over_limit")
        self._invoice(1200)
        order = self._order(10).with_context(lang=None)
        self.assertEqual(self.positions.with_context(lang=None)._get_amount_lang(), "fr_FR")
        self.assertEqual(get_lang(order.env).code, "fr_FR")
        [(__, reasons)] = order._get_credit_blocked()
        expected = format_amount(order.env, 1210, self.currency)
        self.assertIn(expected, reasons[0])
        self.assertIn("210,00", expected)  # French figures: the language of the user's company

    # search --------------------------------------------------------------------------------------

    def test_search_customers_by_credit_status(self):
        self._rule("over_limit")
        other = self.env["res.partner"].create({"name": "Bon payeur", "is_company": True})
        self._invoice(1500)
        self._position()
        Partner = self.env["res.partner"]
        self.assertIn(self.customer, Partner.search([("credit_status", "=", "blocked")]))
        self.assertNotIn(other, Partner.search([("credit_status", "=", "blocked")]))
        self.assertIn(other, Partner.search([("credit_status", "=", "ok")]))
        self.assertNotIn(self.customer, Partner.search([("credit_status", "!=", "blocked")]))

    def test_every_condition_is_matched_and_described_in_one_place(self):
        for condition, __ in self.rules._fields["condition"].selection:
            self.assertTrue(hasattr(self.rules, f"_match_{condition}"), condition)
            self.assertTrue(hasattr(self.rules, f"_describe_{condition}"), condition)
        reason = {"condition": "manual_block", "params": {"reason": "Litige en cours"}}
        self.assertIn("Litige en cours", self.rules._describe(reason, self.currency))
        gone = {"condition": "from_an_uninstalled_addon", "text": "stated by the addon"}
        self.assertEqual(self.rules._describe(gone, self.currency), "stated by the addon")
