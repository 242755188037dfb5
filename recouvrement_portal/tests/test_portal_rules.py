from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .portal_common import SIGNATURE, PortalCommon


@tagged("post_install", "-at_install")
class TestPortalStatement(PortalCommon):
    """What the statement shows: the commercial partner's items in one company, with totals."""

    def _statement(self, filterby="all", partner=None):
        return self.env["recouvrement.portal.statement"]._get_statement(
            partner or self.contact, self.company, self.today, filterby
        )

    def test_company_items_for_every_contact(self):
        statement = self._statement()
        moves = [item["move"] for item in statement["items"]]
        self.assertIn(self.invoice_bob, moves, "a contact sees the invoices of its company's other contacts")
        self.assertIn(self.credit_note, moves)
        self.assertNotIn(self.other_invoice, moves)
        self.assertEqual(statement, self._statement(partner=self.contact2) | {"items": statement["items"]})

    def test_totals_and_aged_balance(self):
        statement = self._statement()
        # 1000 + (600 - 200) + 300 - 100 (credit note)
        self.assertAlmostEqual(statement["balance"], 1600.0)
        self.assertAlmostEqual(statement["aged"]["days_31_60"], 1000.0)
        self.assertAlmostEqual(statement["aged"]["days_1_30"], 400.0)
        self.assertAlmostEqual(statement["overdue"], 1400.0)
        self.assertEqual(statement["next_due_date"], self.today + timedelta(days=20))
        bob = next(item for item in statement["items"] if item["move"] == self.invoice_bob)
        self.assertEqual((bob["amount_original"], bob["amount_due"], bob["days_late"]), (600.0, 400.0, 10))
        self.assertEqual(statement["items"][-1]["balance"], 1600.0, "the running balance ends on the balance")
        kinds = {item["move"]: item["kind"] for item in statement["items"]}
        self.assertEqual(kinds[self.credit_note], "credit_note")

    def test_filters(self):
        self.env["recouvrement.dispute"].create({"move_id": self.invoice_late.id, "category": "price"})
        self.assertEqual([i["move"] for i in self._statement("disputed")["items"]], [self.invoice_late])
        overdue = {i["move"] for i in self._statement("overdue")["items"]}
        self.assertEqual(overdue, {self.invoice_late, self.invoice_bob})
        self.assertEqual(self._statement()["counts"]["disputed"], 1)

    def test_a_page_keeps_the_totals_and_running_balance_of_every_item(self):
        full = self._statement()
        page = self.env["recouvrement.portal.statement"]._get_statement(
            self.contact, self.company, self.today, offset=1, limit=2
        )
        self.assertEqual(len(full["items"]), 4)
        self.assertEqual(
            [(i["move"], i["balance"]) for i in page["items"]],
            [(i["move"], i["balance"]) for i in full["items"][1:3]],
            "page 2 starts where page 1 ended",
        )
        self.assertEqual(page | {"items": full["items"]}, full, "counts, totals and buckets of every item")
        self.assertEqual(page["total"], 4)

    def test_credit_status_only_when_shown(self):
        self.assertIsNone(self._statement()["credit"])
        self.company.portal_show_credit_status = True
        self.assertEqual(self._statement()["credit"]["status"], "ok")

    def test_customer_companies(self):
        other_company = self.setup_other_company(name="Autre Société")
        statement = self.env["recouvrement.portal.statement"]
        self.assertEqual(statement._get_customer_companies(self.contact), self.company)
        self._invoice(self.customer, 50.0, 5, company_data=other_company)
        self.assertEqual(
            statement._get_customer_companies(self.contact), self.company | other_company["company"]
        )
        self.customer.company_id = self.company
        self.assertEqual(statement._get_customer_companies(self.contact), self.company)


@tagged("post_install", "-at_install")
class TestPortalActions(PortalCommon):
    """Disputes, promises and plan requests made on the portal: the collectors' records, source
    portal, within the company's limits; bad input changes nothing."""

    def _lines(self, *moves):
        return (
            self.env["recouvrement.portal.statement"]
            ._get_open_lines(self.customer, self.company)
            .filtered(lambda line: line.move_id in moves and line.amount_residual > 0)
        )

    def test_apply_credits(self):
        Statement = self.env["recouvrement.portal.statement"]
        self.assertEqual(Statement._apply_credits(self.customer, self.company, self.invoice_late), 100.0)
        self.assertEqual(self.invoice_late.amount_residual, 900.0)
        self.assertEqual(self.credit_note.payment_state, "paid")
        with self.assertRaises(UserError):
            Statement._apply_credits(self.customer, self.company, self.invoice_bob)

    def test_dispute_from_portal(self):
        dispute = self.env["recouvrement.dispute"]._portal_create(
            self.contact, self.invoice_bob, "quality", "Broken goods", [("photo.png", b"x" * 10)]
        )
        self.assertEqual(
            (dispute.source, dispute.state, dispute.partner_id), ("portal", "open", self.customer)
        )
        self.assertEqual(dispute.user_id, self.collector)
        self.assertIn(self.contact, dispute.message_partner_ids)
        self.assertTrue(dispute.activity_ids, "the collector is notified")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["photo.png"])
        # The customer is told the outcome
        dispute.resolution_note = "Unfounded"
        dispute.action_reject()
        self.assertIn("Unfounded", dispute.message_ids[0].body)
        self.assertEqual(dispute.message_ids[0].message_type, "comment")

    def test_dispute_bad_input(self):
        Dispute = self.env["recouvrement.dispute"]
        self.company.portal_dispute_max_size_mb = 0.001
        cases = [
            ("quality", "Broken", [("virus.exe", b"x")]),
            ("quality", "Broken", [("big.pdf", b"x" * 2000)]),
            ("quality", "", []),
            ("bogus", "Broken", []),
            ("quality", "Broken", [("a.pdf", b"x")] * 6),
        ]
        for category, message, files in cases:
            with self.subTest(category=category, files=[f[0] for f in files]), self.assertRaises(UserError):
                Dispute._portal_create(self.contact, self.invoice_late, category, message, files)
        self.assertFalse(Dispute.search([("move_id", "=", self.invoice_late.id)]))
        Dispute._portal_create(self.contact, self.invoice_late, "price", "Too expensive")
        with self.assertRaises(UserError):
            Dispute._portal_create(self.contact, self.invoice_late, "price", "Again")

    @freeze_time("2026-03-02")
    def test_promise_limits(self):
        Promise = self.env["recouvrement.promise"]
        lines = self._lines(self.invoice_bob)
        today = fields.Date.today()
        for date, amount in [
            (today - timedelta(days=1), 100.0),
            (today + timedelta(days=31), 100.0),
            (today + timedelta(days=5), 0.0),
            (today + timedelta(days=5), 400.01),
            (None, 100.0),
        ]:
            with self.subTest(date=date, amount=amount), self.assertRaises(UserError):
                Promise._portal_create(self.contact, self.company, lines, date, amount)
        promise = Promise._portal_create(self.contact, self.company, lines, today + timedelta(days=30), 400.0)
        self.assertEqual((promise.channel, promise.state, promise.amount), ("portal", "open", 400.0))
        self.assertEqual(promise.user_id, self.collector)

    def test_plan_approved_automatically_then_signed(self):
        lines = self._lines(self.invoice_late)
        plan = self.env["recouvrement.payment.plan"]._portal_request(
            self.contact, self.company, lines, 3, self.today + timedelta(days=7), "month"
        )
        self.assertEqual((plan.source, plan.request_state, plan.state), ("portal", "approved", "draft"))
        self.assertEqual(sum(plan.instalment_ids.mapped("amount")), 1000.0)
        with self.assertRaises(UserError):
            plan._portal_sign("", SIGNATURE)
        plan._portal_sign("Alice Compta", SIGNATURE)
        self.assertEqual(
            (plan.state, plan.request_state, plan.signed_by), ("active", "signed", "Alice Compta")
        )
        self.assertTrue(plan.agreement_attachment_id)
        with self.assertRaises(UserError):
            plan._portal_sign("Alice Compta", SIGNATURE)

    def test_plan_waits_outside_the_rules(self):
        self.company.portal_plan_max_instalments = 2
        lines = self._lines(self.invoice_late)
        plan = self.env["recouvrement.payment.plan"]._portal_request(
            self.contact, self.company, lines, 3, self.today + timedelta(days=7), "month"
        )
        self.assertEqual(plan.request_state, "pending")
        self.assertIn("2", plan.request_note)
        self.assertTrue(plan.activity_ids)
        with self.assertRaises(UserError):
            plan._portal_sign("Alice", SIGNATURE)
        plan.with_user(self.collector).action_approve_request()
        self.assertEqual(plan.request_state, "approved")
        plan._portal_sign("Alice", SIGNATURE)
        self.assertEqual(plan.state, "active")

    def test_plan_rejected_with_a_reply(self):
        self.company.portal_plan_auto_approve = False
        plan = self.env["recouvrement.payment.plan"]._portal_request(
            self.contact, self.company, self._lines(self.invoice_late), 2, self.today, "week"
        )
        with self.assertRaises(UserError):
            plan.action_reject_request()
        plan.request_reply = "Please pay half now."
        plan.with_user(self.collector).action_reject_request()
        self.assertEqual((plan.request_state, plan.state), ("rejected", "cancelled"))

    def test_plan_rules(self):
        Plan = self.env["recouvrement.payment.plan"]
        cases = {
            "min_instalment": ({"portal_plan_min_instalment": 400.0}, 3),
            "max_days": ({"portal_plan_max_days": 30}, 3),
            "max_amount": ({"portal_plan_max_amount": 500.0}, 2),
        }
        for name, (settings, count) in cases.items():
            with self.subTest(rule=name):
                self.company.write(settings)
                plan = Plan._portal_request(
                    self.contact, self.company, self._lines(self.invoice_late), count, self.today, "month"
                )
                self.assertEqual(plan.request_state, "pending")
                plan.action_cancel()
                self.company.write(
                    {
                        "portal_plan_min_instalment": 50,
                        "portal_plan_max_days": 180,
                        "portal_plan_max_amount": 10000,
                    }
                )

    def test_plan_bad_input(self):
        Plan = self.env["recouvrement.payment.plan"]
        lines = self._lines(self.invoice_late)
        for count, date, interval in [
            (1, self.today, "month"),
            (3, self.today - timedelta(days=1), "month"),
            (3, self.today, "year"),
            (3, None, "month"),
        ]:
            with self.subTest(count=count, date=date, interval=interval), self.assertRaises(UserError):
                Plan._portal_request(self.contact, self.company, lines, count, date, interval)
        self.assertFalse(Plan.search([("partner_id", "=", self.customer.id)]))
        Plan._portal_request(self.contact, self.company, lines, 2, self.today, "month")
        with self.assertRaises(UserError):
            Plan._portal_request(self.contact, self.company, lines, 2, self.today, "month")


@tagged("post_install", "-at_install")
class TestPortalLinks(PortalCommon):
    """Links without a login: random, stored hashed, expiring, revocable."""

    def test_link_lifecycle(self):
        Link = self.env["recouvrement.portal.link"]
        with freeze_time("2026-03-01 10:00:00"):
            token = Link._issue(self.contact, self.company)
            link = Link._resolve(token)
            self.assertEqual((link.partner_id, link.company_id), (self.customer, self.company))
            self.assertNotIn(token, link.token_hash)
            self.assertFalse(Link._resolve(token[:-1] + ("A" if token[-1] != "A" else "B")))
            self.assertFalse(Link._resolve(""))
        with freeze_time("2026-03-31 09:59:00"):
            self.assertTrue(Link._resolve(token))
        with freeze_time("2026-03-31 10:00:01"):
            self.assertFalse(Link._resolve(token), "expired after the company's 30 days")
        with freeze_time("2026-03-02"):
            self.customer.with_user(self.collector).action_revoke_portal_links()
            self.assertFalse(Link._resolve(token))

    def test_validity_setting(self):
        with self.assertRaises(ValidationError):
            self.company.portal_link_validity_days = 0
        self.company.portal_link_validity_days = 2
        with freeze_time("2026-03-01 10:00:00"):
            token = self.env["recouvrement.portal.link"]._issue(self.customer, self.company)
        with freeze_time("2026-03-03 10:00:01"):
            self.assertFalse(self.env["recouvrement.portal.link"]._resolve(token))

    def test_models_secured(self):
        self.assert_models_secured("recouvrement_portal")
