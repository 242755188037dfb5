import base64
import io
import zipfile

from odoo import http
from odoo.tests import HttpCase, tagged

from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalEvidence(LegalCommon, HttpCase):
    """Real PDFs through wkhtmltopdf (an HttpCase: the report assets share the test transaction)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Read the addons' manifests here, once: parsed concurrently by the server thread that
        # serves wkhtmltopdf, Python 3.11's ast can fail ("AST constructor recursion depth mismatch").
        cls.statics = http.root.statics

    def test_evidence_pack_pdf_and_zip(self):
        invoice = self._invoice(900.0, days_late=60)
        self.env["ir.attachment"].create(
            {
                "name": "bon-de-commande-signe.txt",
                "raw": b"Bon pour accord",
                "res_model": "account.move",
                "res_id": invoice.id,
            }
        )
        case = self._open_case(invoice)
        pdf, zipped = case.with_context(force_report_rendering=True)._generate_evidence_pack()
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertGreater(
            pdf.raw.count(b"/Type /Page\n") + pdf.raw.count(b"/Type/Page") + pdf.raw.count(b"/Type /Page "), 0
        )
        names = zipfile.ZipFile(io.BytesIO(zipped.raw)).namelist()
        self.assertEqual(names[0], "00-index.pdf")
        self.assertTrue(any(name.endswith("bon-de-commande-signe.txt") for name in names))
        self.assertTrue(any(name.endswith("statement.pdf") for name in names))
        self.assertTrue(any(invoice.name.replace("/", "-") in name for name in names))
        self.assertIn(pdf, case.message_ids[0].attachment_ids)
        self.assertTrue(base64.b64decode(zipped.datas))

    def test_handover_letter_renders(self):
        case = self._open_case(self._invoice(900.0, days_late=60))
        lawyer = self.env["res.partner"].create({"name": "Maître Durand", "lang": "en_US"})
        party = self.env["recouvrement.legal.party"].create(
            {"case_id": case.id, "partner_id": lawyer.id, "role": "lawyer"}
        )
        html = self.env["ir.actions.report"]._render_qweb_html(
            "recouvrement_legal.action_report_legal_mandate", party.ids
        )[0]
        self.assertIn(b"Handover of a claim", html)
        self.assertIn(case.name.encode(), html)
