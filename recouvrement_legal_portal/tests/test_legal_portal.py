from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.recouvrement_portal.tests.test_portal_http import PortalHttpCommon


@tagged("post_install", "-at_install")
class TestLegalCaseOnPortal(PortalHttpCommon):
    """A customer with an open legal case sees the case instead of the reminders; the invoices it
    covers are marked and can no longer be disputed, promised or put in a plan from the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.collector
        cls.owner.partner_id.write({"email": "owner@test.example", "phone": "+33 1 23 45 67 89"})
        cls.lawyer = cls.env["res.partner"].create(
            {"name": "Maître Durand", "email": "durand@avocat.example"}
        )
        items = cls.invoice_late.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        cls.case = cls.env["recouvrement.legal.case"]._open_for_items(items)
        cls.case.write(
            {
                "user_id": cls.owner.id,
                "party_ids": [(0, 0, {"partner_id": cls.lawyer.id, "role": "lawyer"})],
                "cost_ids": [(0, 0, {"kind": "court", "amount": 35.0, "bearer": "awarded"})],
            }
        )

    def test_statement_values(self):
        statement = self.env["recouvrement.portal.statement"]._get_statement(
            self.customer, self.company, self.today
        )
        (legal,) = statement["legal_cases"]
        self.assertEqual(legal["name"], self.case.name)
        self.assertEqual(legal["balance"], self.case.amount_balance)
        self.assertIn(("Costs awarded", 35.0), legal["amounts"])
        self.assertEqual(
            [(c["role"], c["name"]) for c in legal["contacts"]],
            [("Your contact", self.owner.partner_id.name), ("Lawyer", "Maître Durand")],
        )
        by_move = {item["move"]: item for item in statement["items"]}
        self.assertEqual(by_move[self.invoice_late]["legal_case"], self.case.name)
        self.assertFalse(by_move[self.invoice_late]["actionable"])
        self.assertTrue(by_move[self.invoice_bob]["actionable"])
        self.assertFalse(by_move[self.invoice_bob]["legal_case"])

    def test_status_in_the_customers_words(self):
        self.assertIn("legal department", self.case._get_portal_status())
        self.env["recouvrement.legal.procedure"].create(
            {
                "case_id": self.case.id,
                "type_id": self.env.ref("recouvrement_legal.legal_procedure_agency").id,
                "date_filed": self.today,
            }
        )
        self.assertIn("collection agency", self.case._get_portal_status())

    def test_page_shows_the_case_and_marks_its_invoice(self):
        self.authenticate("alice", "alice_pwd")
        page = self.url_open("/my/collections")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_collections_legal_case", page.text)
        self.assertIn(self.case.name, page.text)
        self.assertIn("Maître Durand", page.text)
        self.assertIn("owner@test.example", page.text)
        self.assertIn("o_collections_legal_badge", page.text)
        self.assertNotIn("Reminders and letters received", page.text)
        # the locked invoice is not offered to dispute, promise or plan; the other ones are
        self.assertNotIn(f'<option value="{self.invoice_late.id}"', page.text)
        self.assertIn(f'<option value="{self.invoice_bob.id}"', page.text)

    def test_actions_on_case_invoices_refused_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["recouvrement_legal_portal"], ["fr_FR"], overwrite=True
        )
        self.portal_user.lang = "fr_FR"
        self.authenticate("alice", "alice_pwd")
        date = fields.Date.to_string(self.today + timedelta(days=10))
        before = self._created()
        attempts = [
            (
                "/my/collections/dispute",
                {"move_id": self.invoice_late.id, "category": "other", "message": "No"},
            ),
            ("/my/collections/promise", {"move_ids": self.invoice_late.id, "date": date, "amount": "100"}),
            (
                "/my/collections/plan",
                {
                    "move_ids": f"{self.invoice_late.id}",
                    "instalment_count": 3,
                    "date_first": date,
                    "interval": "month",
                },
            ),
        ]
        for url, data in attempts:
            with self.subTest(url=url):
                response = self._post(url, data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("dossier contentieux", response.text)
                self.assertIn(self.invoice_late.name, response.text)
        self.assertEqual(self._created(), before)
        # the invoice out of the case can still be promised
        response = self._post(
            "/my/collections/promise", {"move_ids": self.invoice_bob.id, "date": date, "amount": "100"}
        )
        self.assertEqual(response.status_code, 200)

    def test_closed_case_unlocks(self):
        self.case._close("paid", "test")
        statement = self.env["recouvrement.portal.statement"]._get_statement(
            self.customer, self.company, self.today
        )
        self.assertFalse(statement["legal_cases"])
        self.assertTrue(all(item["actionable"] for item in statement["items"]))
