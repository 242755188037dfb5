import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .test_portal_http import PortalHttpCommon


@tagged("post_install", "-at_install")
class TestPortalChatter(PortalHttpCommon):
    """The customer writes to the collector with Odoo's portal chatter, signed in or through the
    link without a login; nobody else can read or write there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispute = (
            cls.env["recouvrement.dispute"]
            .sudo()
            ._portal_create(cls.contact, cls.invoice_late, "quality", "Broken goods", [])
        )
        cls.Link = cls.env["recouvrement.portal.link"]

    def _chatter_params(self, url):
        """The credentials the record's page gives the portal chatter."""
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:300])
        self.assertIn('data-res_model="recouvrement.dispute"', page.text)
        return {
            key: re.search(rf'data-{key}="([^"]*)"', page.text).group(1) for key in ("token", "pid", "hash")
        }

    def _post_message(self, body, **params):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "recouvrement.dispute",
                "thread_id": self.dispute.id,
                "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                **params,
            },
        )

    def _fetch(self, **params):
        return self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "recouvrement.dispute", "thread_id": self.dispute.id, **params},
        )

    def _message(self, body):
        return self.dispute.message_ids.filtered(lambda message: body in (message.body or ""))

    def _assert_collector_notified(self, message):
        notified = self.env["mail.notification"].search([("mail_message_id", "=", message.id)]).res_partner_id
        self.assertIn(self.collector.partner_id, notified)

    def test_signed_in_customer_writes_to_the_collector(self):
        self.authenticate("alice", "alice_pwd")
        params = self._chatter_params(f"/my/collections/dispute/{self.dispute.id}")
        self._post_message("Photos attached", token=params["token"])
        message = self._message("Photos attached")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.contact)
        self._assert_collector_notified(message)
        # The collector's reply shows in the customer's chatter, not the collector's internal notes
        self.dispute.with_user(self.collector).message_post(
            body="We check", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.dispute.with_user(self.collector).message_post(
            body="Internal only", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        bodies = str(self._fetch(token=params["token"]))
        self.assertIn("We check", bodies)
        self.assertIn("Photos attached", bodies)
        self.assertNotIn("Internal only", bodies)

    def test_link_visitor_writes_to_the_collector(self):
        token = self.Link._issue(self.customer, self.company)
        params = self._chatter_params(f"/collections/{token}/dispute/{self.dispute.id}")
        self.assertEqual(params["token"], token)
        self._post_message("Sent by post", **params)
        message = self._message("Sent by post")
        self.assertEqual(message.author_id, self.customer, "signed with the customer, not the public user")
        self._assert_collector_notified(message)
        self.assertIn("Sent by post", str(self._fetch(token=token)))
        # Once the link is revoked, its hash and pid open nothing
        self.Link.search([("partner_id", "=", self.customer.id)]).action_revoke()
        with self.assertRaises(JsonRpcException):
            self._post_message("After revocation", **params)
        with self.assertRaises(JsonRpcException):
            self._fetch(token=token)
        self.assertFalse(self._message("After revocation"))

    def _assert_nothing_read(self, **params):
        """A refused fetch raises, or returns none of the record's messages."""
        try:
            result = self._fetch(**params)
        except JsonRpcException:
            return
        self.assertNotIn("Reply from the collector", str(result))

    def test_others_cannot_read_or_write(self):
        self.dispute._portal_ensure_token()
        self.dispute.with_user(self.collector).message_post(
            body="Reply from the collector", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        before = self._created()
        other_token = self.Link._issue(self.other_customer, self.company)
        expired_token = self.Link._issue(self.customer, self.company)
        self.Link.search([("partner_id", "=", self.customer.id)]).date_expiry = "2020-01-01 00:00:00"
        hash_pid = {"pid": self.contact.id, "hash": self.dispute._sign_token(self.contact.id)}
        attempts = {
            "public, hash and pid only": hash_pid,
            "public, the record's own access token": {"token": self.dispute.access_token},
            "public, another customer's link": {"token": other_token, **hash_pid},
            "public, an expired link": {"token": expired_token, **hash_pid},
            "public, a forged link": {"token": "x" * 43, **hash_pid},
        }
        for label, params in attempts.items():
            with self.subTest(label):
                with self.assertRaises(JsonRpcException):
                    self._post_message("Intruder", **params)
                self._assert_nothing_read(**params)
        # Another customer's portal user, even holding the record's access token
        self.authenticate("autre", "autre_pwd")
        with self.assertRaises(JsonRpcException):
            self._post_message("Intruder", token=self.dispute.access_token, **hash_pid)
        self._assert_nothing_read(token=self.dispute.access_token)
        self._assert_nothing_read()
        self.assertFalse(self._message("Intruder"))
        self.assertEqual(self._created(), before)

    def test_promise_and_plan_pages_carry_the_chatter(self):
        self.authenticate("alice", "alice_pwd")
        date = fields.Date.to_string(self.today + timedelta(days=5))
        requests = {
            "recouvrement.promise": ("/my/collections/promise", {"amount": "100", "date": date}),
            "recouvrement.payment.plan": (
                "/my/collections/plan",
                {"instalment_count": "3", "date_first": date, "interval": "month"},
            ),
        }
        for model, (url, data) in requests.items():
            with self.subTest(model):
                page = self._post(url, {"move_ids": self.invoice_late.id, **data})
                self.assertEqual(page.status_code, 200, page.text[:300])
                record_id = int(
                    re.search(rf'data-res_model="{model}"[^>]*data-res_id="(\d+)"', page.text).group(1)
                )
                token = re.search(r'data-token="([^"]*)"', page.text).group(1)
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": model,
                        "thread_id": record_id,
                        "post_data": {"body": "A question", "message_type": "comment"},
                        "token": token,
                    },
                )
                record = self.env[model].browse(record_id)
                self.assertEqual(record.partner_id, self.customer)
                self.assertIn("A question", record.message_ids[0].body)
                self.assertEqual(record.message_ids[0].author_id, self.contact)

    def test_chatter_files_obey_the_company_limits(self):
        self.company.write({"portal_dispute_max_size_mb": 1})
        self.authenticate("alice", "alice_pwd")
        params = self._chatter_params(f"/my/collections/dispute/{self.dispute.id}")
        csrf = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)

        def upload(name, content):
            return self.url_open(
                "/mail/attachment/upload",
                data={
                    "csrf_token": csrf,
                    "thread_id": self.dispute.id,
                    "thread_model": "recouvrement.dispute",
                    "token": params["token"],
                    "is_pending": "true",
                },
                files={"ufile": (name, content, "application/octet-stream")},
            )

        attachments = self.env["ir.attachment"].search_count([])
        refused = {"tool.exe": b"MZ", "big.pdf": b"%PDF" + b"0" * (1024 * 1024 + 1)}
        for name, content in refused.items():
            with self.subTest(name):
                response = upload(name, content)
                self.assertIn(name, response.json()["error"])
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments, "nothing stored")
        accepted = upload("note.pdf", b"%PDF-1.4 delivery note")
        self.assertNotIn("error", accepted.json())
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments + 1)
