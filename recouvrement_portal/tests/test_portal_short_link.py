import base64
import io
from datetime import timedelta

import qrcode

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY
from odoo.addons.recouvrement_credit.tests.dunning_common import DunningCommon

from ..models.recouvrement_portal_link import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH

INVALID_PAGE = "o_collections_invalid_link"


@tagged("post_install", "-at_install")
class TestPortalShortLink(DunningCommon, HttpCase):
    """Letters print the customer's link as a short URL and its QR code; the short code is the
    link's credential, expiring and revocable like any other."""

    def setUp(self):
        super().setUp()
        self._invoice(300.0, days_late=1)
        self.communication = self._run(TODAY)
        self.url = self.communication._get_portal_letter_link()["url"]
        self.code = self.url.rsplit("/", 1)[1]
        self.link = self.env["recouvrement.portal.link"]._resolve(self.code)

    def _open(self, code):
        return self.url_open(f"/c/{code}", allow_redirects=False)

    def _assert_invalid(self, response):
        self.assertEqual(response.status_code, 404)
        self.assertIn(INVALID_PAGE, response.text)
        self.assertNotIn(self.customer.name, response.text)

    def test_letter_prints_the_short_url_and_its_qr_code(self):
        self.assertEqual(self.url, f"{self.company.get_base_url()}/c/{self.code}")
        self.assertRegex(self.code, rf"^[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}$")
        self.assertFalse(set(self.code) & set("01ilo"), "no symbol read alike on paper")
        self.assertEqual(
            (self.link.partner_id, self.link.communication_id), (self.customer, self.communication)
        )
        self.assertEqual(self.communication._get_portal_letter_link()["url"], self.url, "a reprint: same URL")
        # The QR code is the image of the short URL itself
        expected = io.BytesIO()
        qrcode.make(self.url, box_size=4, border=2).save(expected, format="PNG")
        qr = self.communication._get_portal_letter_link()["qr"]
        self.assertEqual(base64.b64decode(qr.split(",", 1)[1]), expected.getvalue())
        # The letter shows both
        report = self.communication.level_id._get_letter_report()
        html = self.env["ir.actions.report"]._render_qweb_html(report, self.communication.ids)[0].decode()
        self.assertIn(f">{self.url}<", html)
        self.assertIn(qr, html)
        self.assertNotIn("/collections/", html)

    def test_short_url_opens_the_statement(self):
        response = self._open(self.code)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/collections/{self.code}"))
        page = self.url_open(f"/c/{self.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.customer.name, page.text)
        # Typed from the paper in capitals, it works the same
        self.assertEqual(self._open(self.code.upper()).status_code, 303)

    def test_forged_codes_get_the_plain_page(self):
        forged = "".join(reversed(self.code))
        for code in (forged, "2" * SHORT_CODE_LENGTH, self.code[:-1], self.code + "a", "x" * 43):
            with self.subTest(code=code):
                self._assert_invalid(self._open(code))

    def test_expired_code_gets_the_plain_page(self):
        self.link.date_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self._assert_invalid(self._open(self.code))
        self._assert_invalid(self.url_open(f"/collections/{self.code}"))

    def test_revoked_code_gets_the_plain_page(self):
        self.customer.with_company(self.company).action_revoke_portal_links()
        self.assertTrue(self.link.revoked)
        self._assert_invalid(self._open(self.code))
        self._assert_invalid(self.url_open(f"/collections/{self.code}"))
        # A reprint prints the same code, which stays revoked
        self.assertEqual(self.communication._get_portal_letter_link()["url"], self.url)
        self._assert_invalid(self._open(self.code))
