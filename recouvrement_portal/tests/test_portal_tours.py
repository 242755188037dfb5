"""The customer's flows in headless Chromium, as a customer clicks them: the tours of
static/tests/tours/collections_tours.js, the records checked here."""

from odoo.tests import HttpCase, tagged

from odoo.addons.recouvrement_credit.tests.common import PatientBrowserMixin

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(PatientBrowserMixin, PortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_provider = cls._setup_demo_provider()

    @classmethod
    def _setup_demo_provider(cls):
        """Odoo's demo payment provider in the customer's company, in test mode; None without
        payment_demo (the test command installs it beside the addons)."""
        if cls.env["ir.module.module"]._get("payment_demo").state != "installed":
            return None
        # sudo: providers are the administrator's; the accountant of the fixtures cannot read them
        base = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = base.copy({"company_id": cls.company.id})
        provider.write(
            {
                "state": "test",
                "is_published": True,
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        return provider

    def _require_demo_provider(self):
        if not self.demo_provider:
            self.skipTest("payment_demo is not installed (scripts/test.sh installs it beside the addons)")

    def _assert_paid_and_out_of_dunning(self, invoices):
        """Reconciled, nothing left to pay, and no longer among the open receivable items the
        dunning run selects its candidates from."""
        for invoice in invoices:
            self.assertEqual(invoice.amount_residual, 0.0, invoice.name)
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            self.assertTrue(all(receivable.mapped("reconciled")), invoice.name)
        lines = self.env["account.move.line"]
        self.assertFalse(
            lines.search_count([*lines._get_open_receivable_domain(), ("move_id", "in", invoices.ids)])
        )

    def _plans(self):
        return self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.customer.id)])

    def _assert_signed(self, plan):
        # signed in the name the form proposes: the signed-in contact's
        self.assertEqual(
            (plan.state, plan.request_state, plan.signed_by), ("active", "signed", self.contact.name)
        )
        self.assertTrue(plan.signature)
        self.assertEqual(plan.agreement_attachment_id.mimetype, "application/pdf")

    # ------------------------------------------------------------------

    def test_pay_two_invoices_with_the_demo_provider(self):
        self._require_demo_provider()
        self.start_tour("/my/collections", "recouvrement_portal_pay_two_invoices", login="alice")
        overdue = self.invoice_late | self.invoice_bob
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", overdue.ids)])
        self.assertEqual((tx.state, tx.provider_id, tx.amount), ("done", self.demo_provider, 1400.0))
        self.assertEqual(tx.invoice_ids, overdue)
        self.assertTrue(tx.is_post_processed)
        self._assert_paid_and_out_of_dunning(overdue)
        self.assertEqual(self.invoice_not_due.amount_residual, 300.0, "not chosen, not paid")

    def test_dispute_with_attachment(self):
        self.start_tour("/my/collections", "recouvrement_portal_dispute_with_attachment", login="alice")
        dispute = self.env["recouvrement.dispute"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(dispute), 1)
        self.assertEqual((dispute.source, dispute.category, dispute.state), ("portal", "quantity", "open"))
        self.assertEqual(dispute.portal_contact_id, self.contact)
        self.assertIn("Two doors are missing", str(dispute.description))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "recouvrement.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.name, "delivery-note.txt")
        self.assertEqual(attachment.raw, b"Delivery note: 8 doors ordered, 6 delivered.")

    def test_promise_to_pay(self):
        self.start_tour("/my/collections", "recouvrement_portal_promise", login="alice")
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.channel, promise.amount), ("portal", 250.0))
        self.assertGreater(promise.date, self.today)

    def test_plan_approved_automatically_then_signed(self):
        self.start_tour("/my/collections", "recouvrement_portal_plan_auto_approved", login="alice")
        plan = self._plans()
        self.assertEqual((len(plan), plan.source, len(plan.instalment_ids)), (1, "portal", 2))
        self._assert_signed(plan)

    def test_plan_waiting_for_approval_then_approved_and_signed(self):
        self.company.portal_plan_auto_approve = False
        self.start_tour("/my/collections", "recouvrement_portal_plan_request_pending", login="alice")
        plan = self._plans()
        self.assertEqual((plan.state, plan.request_state), ("draft", "pending"))
        self.assertTrue(plan.activity_ids, "the collector has the request to approve")

        plan.with_user(self.collector).action_approve_request()
        self.assertEqual(plan.request_state, "approved")
        self.start_tour(f"/my/collections/plan/{plan.id}", "recouvrement_portal_plan_sign", login="alice")
        self._assert_signed(plan)

    def test_link_without_login(self):
        """A reminder's link, no session: pay what is overdue, then promise to pay the rest."""
        self._require_demo_provider()
        token = self.env["recouvrement.portal.link"]._issue(self.customer, self.company)
        self.start_tour(f"/collections/{token}", "recouvrement_portal_link_without_login")
        self._assert_paid_and_out_of_dunning(self.invoice_late | self.invoice_bob)
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice_late.ids)])
        self.assertEqual((tx.partner_id, tx.tokenize), (self.customer, False))
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.amount, promise.channel), (300.0, "portal"))
        self.assertEqual(promise.move_line_ids.move_id, self.invoice_not_due)
