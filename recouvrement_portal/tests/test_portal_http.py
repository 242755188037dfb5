import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.account_payment.tests.common import AccountPaymentCommon

from .portal_common import PortalCommon

NOT_FOUND = 404


class PortalHttpCommon(PortalCommon, HttpCase):
    def _csrf(self, url="/my/collections"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, url, data, files=None, csrf_from="/my/collections"):
        return self.url_open(url, data={"csrf_token": self._csrf(csrf_from), **data}, files=files)

    def _created(self):
        """How many portal records exist: attempts that are refused must not change it."""
        return (
            self.env["recouvrement.dispute"].search_count([]),
            self.env["recouvrement.promise"].search_count([]),
            self.env["recouvrement.payment.plan"].search_count([]),
            self.env["mail.message"].search_count([("message_type", "=", "comment")]),
        )


@tagged("post_install", "-at_install")
class TestPortalStatementPages(PortalHttpCommon):
    """Who sees what, and the downloads."""

    def test_home_counter_and_statement(self):
        self.authenticate("alice", "alice_pwd")
        home = self.url_open("/my")
        self.assertIn("/my/collections", home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["collections_count"]})
        self.assertEqual(counters["collections_count"], 4)
        page = self.url_open("/my/collections")
        self.assertEqual(page.status_code, 200)
        for move in (self.invoice_late, self.invoice_bob, self.invoice_not_due, self.credit_note):
            self.assertIn(move.name, page.text)
        self.assertNotIn(self.other_invoice.name, page.text)
        self.assertIn("1,600.00", page.text)
        overdue = self.url_open("/my/collections?filterby=overdue")
        self.assertNotIn(self.invoice_not_due.name, overdue.text)

    def test_downloads(self):
        self.authenticate("alice", "alice_pwd")
        xlsx = self.url_open("/my/collections/statement.xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertIn("spreadsheetml", xlsx.headers["Content-Type"])
        pdf = self.url_open("/my/collections/statement.pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        invoice = self.url_open(f"/my/collections/invoice/{self.invoice_bob.id}")
        self.assertEqual(invoice.status_code, 200)

    def test_public_user_goes_to_login(self):
        response = self.url_open("/my/collections", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestPortalActing(PortalHttpCommon):
    """Dispute, promise, plan request and messages through the pages."""

    def test_dispute_with_attachment(self):
        self.authenticate("alice", "alice_pwd")
        response = self._post(
            "/my/collections/dispute",
            {"move_id": self.invoice_bob.id, "category": "quality", "message": "Broken goods"},
            files={"attachments": ("photo.png", b"\x89PNG fake", "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        dispute = self.env["recouvrement.dispute"].search([("move_id", "=", self.invoice_bob.id)])
        self.assertEqual((dispute.source, dispute.portal_contact_id), ("portal", self.contact))
        self.assertIn(f"/my/collections/dispute/{dispute.id}", response.url)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
            ),
            1,
        )
        # (the customer's messages to the collector: test_portal_chatter)

    def test_apply_credits_then_pay(self):
        self.authenticate("alice", "alice_pwd")
        pay = self.url_open(f"/my/collections/pay?move_ids={self.invoice_late.id}")
        self.assertIn("o_collections_apply_credits", pay.text)
        before = self.other_invoice.amount_residual
        refused = self._post("/my/collections/apply_credits", {"move_ids": f"{self.other_invoice.id}"})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(self.other_invoice.amount_residual, before)
        response = self._post("/my/collections/apply_credits", {"move_ids": f"{self.invoice_late.id}"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("900.00", response.text, "what is left to pay once the credit note is applied")
        self.assertEqual(self.invoice_late.amount_residual, 900.0)

    def test_pay_page_without_login(self):
        token = self.env["recouvrement.portal.link"]._issue(self.customer, self.company)
        page = self.url_open(f"/collections/{token}/pay?overdue=1")
        self.assertEqual(page.status_code, 200)
        self.assertIn("1,400.00", page.text)

    def test_oversized_file_refused(self):
        self.company.portal_dispute_max_size_mb = 0.001
        self.authenticate("alice", "alice_pwd")
        before = self._created()
        response = self._post(
            "/my/collections/dispute",
            {"move_id": self.invoice_bob.id, "category": "quality", "message": "Broken"},
            files={"attachments": ("big.pdf", b"x" * 5000, "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("too large", response.text)
        self.assertEqual(self._created(), before)

    def test_promise_and_bad_amount(self):
        self.authenticate("alice", "alice_pwd")
        date = fields.Date.to_string(self.today + timedelta(days=10))
        before = self._created()
        response = self._post(
            "/my/collections/promise", {"move_ids": self.invoice_late.id, "date": date, "amount": "1000.01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most what is due", response.text)
        response = self._post(
            "/my/collections/promise", {"move_ids": self.invoice_late.id, "date": date, "amount": "-5"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._created(), before)
        response = self._post(
            "/my/collections/promise", {"move_ids": self.invoice_late.id, "date": date, "amount": "500"}
        )
        self.assertEqual(response.status_code, 200)
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.channel, promise.amount), ("portal", 500.0))

    def test_plan_request_then_signature(self):
        self.authenticate("alice", "alice_pwd")
        response = self._post(
            "/my/collections/plan",
            {
                "move_ids": self.invoice_late.id,
                "instalment_count": "2",
                "date_first": fields.Date.to_string(self.today + timedelta(days=3)),
                "interval": "month",
            },
        )
        self.assertEqual(response.status_code, 200)
        plan = self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(plan.request_state, "approved")
        self.assertIn("o_collections_sign", response.text)
        from .portal_common import SIGNATURE

        result = self.make_jsonrpc_request(
            f"/my/collections/plan/{plan.id}/sign", {"name": "Alice Compta", "signature": SIGNATURE}
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(plan.state, "active")
        agreement = self.url_open(f"/my/collections/plan/{plan.id}/agreement.pdf")
        self.assertEqual(agreement.headers["Content-Type"], "application/pdf")


@tagged("post_install", "-at_install")
class TestPortalSecurity(PortalHttpCommon):
    """Every route refuses what is not the customer's with the answer it gives to what does not
    exist, and creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_dispute = cls.env["recouvrement.dispute"].create(
            {"move_id": cls.other_invoice.id, "category": "price"}
        )
        cls.other_company_data = cls.setup_other_company(name="Société B")
        cls.company_b = cls.other_company_data["company"]
        cls.customer_b = cls.env["res.partner"].create({"name": "Client B", "is_company": True})
        cls.contact_b = cls.env["res.partner"].create({"name": "Carole B", "parent_id": cls.customer_b.id})
        cls.invoice_b = cls._invoice(cls.customer_b, 700.0, -3, company_data=cls.other_company_data)
        cls.user_b = cls._new_portal_user("carole", cls.contact_b, company=cls.company_b)

    def test_foreign_ids_are_not_found(self):
        self.authenticate("alice", "alice_pwd")
        missing = 999999999
        for url in [
            f"/my/collections/dispute/{self.other_dispute.id}",
            f"/my/collections/dispute/{missing}",
            f"/my/collections/invoice/{self.other_invoice.id}",
            f"/my/collections/invoice/{missing}",
            f"/my/collections/invoice/{self.invoice_b.id}",
            f"/my/collections/letter/{missing}",
            f"/my/collections/plan/{missing}/agreement.pdf",
            f"/my/collections?company_id={self.company_b.id}",
            "/my/collections/bogus/1",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, NOT_FOUND)

    def test_foreign_invoices_refused_nothing_created(self):
        self.authenticate("alice", "alice_pwd")
        before = self._created()
        date = fields.Date.to_string(self.today + timedelta(days=5))
        attempts = [
            (
                "/my/collections/dispute",
                {"move_id": self.other_invoice.id, "category": "price", "message": "x"},
            ),
            ("/my/collections/dispute", {"move_id": 999999999, "category": "price", "message": "x"}),
            ("/my/collections/promise", {"move_ids": self.other_invoice.id, "date": date, "amount": "10"}),
            ("/my/collections/promise", {"move_ids": self.invoice_b.id, "date": date, "amount": "10"}),
            (
                "/my/collections/plan",
                {
                    "move_ids": self.other_invoice.id,
                    "instalment_count": "2",
                    "date_first": date,
                    "interval": "month",
                },
            ),
        ]
        texts = set()
        for url, data in attempts:
            with self.subTest(url=url, data=data):
                response = self._post(url, data)
                self.assertEqual(response.status_code, 400)
                texts.add(re.search(r'o_collections_error"[^>]*>([^<]*)<', response.text).group(1))
        self.assertEqual(len(texts), 1, "the same answer for not yours and does not exist")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "recouvrement.dispute",
                    "thread_id": self.other_dispute.id,
                    "post_data": {"body": "hello", "message_type": "comment"},
                },
            )
        self.assertEqual(self._created(), before)

    def test_csrf_required(self):
        self.authenticate("alice", "alice_pwd")
        before = self._created()
        response = self.url_open(
            "/my/collections/dispute",
            data={"move_id": self.invoice_bob.id, "category": "price", "message": "no token"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._created(), before)

    def test_user_of_another_company(self):
        """Carole, customer of company B only, sees company B and nothing of company A."""
        self.authenticate("carole", "carole_pwd")
        page = self.url_open("/my/collections")
        self.assertIn(f"/my/collections/invoice/{self.invoice_b.id}", page.text)
        self.assertNotIn(f"/my/collections/invoice/{self.invoice_late.id}", page.text)
        self.assertNotIn("Client SA", page.text)
        self.assertEqual(
            self.url_open(f"/my/collections?company_id={self.company.id}").status_code, NOT_FOUND
        )
        self.assertEqual(
            self.url_open(f"/my/collections/invoice/{self.invoice_late.id}").status_code, NOT_FOUND
        )

    def test_tokens(self):
        Link = self.env["recouvrement.portal.link"]
        token = Link._issue(self.customer, self.company)
        other_token = Link._issue(self.other_customer, self.company)
        page = self.url_open(f"/collections/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice_bob.name, page.text)
        self.assertNotIn(self.other_invoice.name, page.text)
        # Acting without a login
        before = self._created()
        date = fields.Date.to_string(self.today + timedelta(days=5))
        response = self._post(
            f"/collections/{token}/promise",
            {"move_ids": self.invoice_late.id, "date": date, "amount": "100"},
            csrf_from=f"/collections/{token}",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._created()[1], before[1] + 1)
        # Another customer's token does not open this customer's records
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            self.url_open(f"/collections/{other_token}/promise/{promise.id}").status_code, NOT_FOUND
        )
        response = self._post(
            f"/collections/{other_token}/dispute",
            {"move_id": self.invoice_late.id, "category": "price", "message": "x"},
            csrf_from=f"/collections/{other_token}",
        )
        self.assertEqual(response.status_code, 400)
        # Forged, expired and revoked links: one plain page
        forged = self.url_open(f"/collections/{token[:-2]}xx")
        self.assertEqual(forged.status_code, NOT_FOUND)
        self.assertIn("o_collections_invalid_link", forged.text)
        self.assertNotIn(self.customer.name, forged.text)
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.assertFalse(Link._resolve(token))
        self.customer.with_user(self.collector).action_revoke_portal_links()
        revoked = self.url_open(f"/collections/{token}")
        self.assertEqual(revoked.status_code, NOT_FOUND)
        csrf = re.compile(r'csrf_token: "[^"]*"')
        self.assertEqual(csrf.sub("", revoked.text), csrf.sub("", forged.text))
        after = self._created()
        for url in (
            f"/collections/{token}/statement.pdf",
            f"/collections/{token}/invoice/{self.invoice_late.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, NOT_FOUND)
        self.url_open(
            f"/collections/{token}/promise",
            data={"move_ids": self.invoice_late.id, "date": date, "amount": "1"},
        )
        self.assertEqual(self._created(), after)


@tagged("post_install", "-at_install")
class TestPortalPayment(PortalCommon, AccountPaymentCommon, HttpCase):
    """Paying several invoices: the amount is what is left to pay; the transaction reconciles them."""

    def test_pay_selected_invoices(self):
        self.provider.write(
            {"company_id": self.company.id}
        ) if self.provider.company_id != self.company else None
        self.authenticate("alice", "alice_pwd")
        page = self.url_open(
            f"/my/collections/pay?move_ids={self.invoice_late.id}&move_ids={self.invoice_bob.id}"
        )
        self.assertEqual(page.status_code, 200, page.text[:300])
        self.assertIn("1,400.00", page.text, "the residual of the two invoices, not their total (1,600.00)")
        access_token = re.search(r'data-access-token="([^"]+)"', page.text).group(1)
        route = re.search(r'data-transaction-route="([^"]+)"', page.text).group(1).replace("&amp;", "&")
        values = {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method_id,
            "token_id": None,
            "amount": 1.0,  # ignored: the server computes it
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/elsewhere",
            "access_token": access_token,
        }
        with self.mocked_get_payment_method_information():
            self.make_jsonrpc_request(route, values)
            tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice_late.ids)])
            self.assertEqual(tx.amount, 1400.0)
            self.assertEqual(tx.invoice_ids, self.invoice_late | self.invoice_bob)
            self.assertNotIn("elsewhere", tx.landing_route)
            tx._set_done()
            tx._post_process()
        for invoice in self.invoice_late | self.invoice_bob:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_pay_without_login(self):
        token = self.env["recouvrement.portal.link"]._issue(self.customer, self.company)
        page = self.url_open(f"/collections/{token}/pay?overdue=1")
        access_token = re.search(r'data-access-token="([^"]+)"', page.text).group(1)
        route = re.search(r'data-transaction-route="([^"]+)"', page.text).group(1).replace("&amp;", "&")
        self.assertTrue(route.startswith(f"/collections/{token}/transaction"))
        values = {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method_id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": True,
            "landing_route": "/",
            "access_token": access_token,
        }
        self.make_jsonrpc_request(route, values)
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice_late.ids)])
        self.assertEqual((tx.amount, tx.partner_id, tx.tokenize), (1400.0, self.customer, False))

    def test_tampered_token_refused(self):
        self.authenticate("alice", "alice_pwd")
        page = self.url_open(f"/my/collections/pay?move_ids={self.invoice_late.id}")
        access_token = re.search(r'data-access-token="([^"]+)"', page.text).group(1)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/collections/transaction?move_ids={self.invoice_late.id},{self.other_invoice.id}",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.payment_method_id,
                    "token_id": None,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/",
                    "access_token": access_token,
                },
            )
        self.assertFalse(
            self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice_late.ids)])
        )
