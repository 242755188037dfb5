import io
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from ..models.ir_actions_report import MARKER_URL, IrActionsReport
from .letter_common import LetterCommon

PAY_URL = "https://pay.example.com/"
DISPATCH_LOGGER = "odoo.addons.recouvrement_credit.models.recouvrement_dunning_dispatch"


def pdf_links(pdf):
    """The web links of each page of PDF."""
    return [
        [
            str(annotation.get_object()["/A"].get_object().get("/URI", ""))
            for annotation in page.get("/Annots", [])
            if annotation.get_object().get("/A")
        ]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


@tagged("post_install", "-at_install")
class TestLetterBatch(LetterCommon, HttpCase):
    """Letters are printed several per wkhtmltopdf call and cut back into one PDF per reminder (real
    wkhtmltopdf; an HttpCase so that it fetches the report assets within the test transaction).

    Each letter prints a payment link naming its own reminder (the hook the portal addon fills):
    the link annotations of a PDF tell whose letter it is, whatever the fonts (wkhtmltopdf draws the
    report's web fonts as outlines: the PDF has no text to read)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = cls.levels[15]  # a reminder letter
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client {index}",
                    "is_company": True,
                    "street": f"{index} rue du Port",
                    "zip": "13002",
                    "city": "Marseille",
                    "country_id": cls.env.ref("base.fr").id,
                    "lang": lang,
                }
                for index, lang in enumerate(["en_US", "fr_FR", "en_US", "fr_FR", "en_US"])
            ]
        )

    def _queued_letters(self, items_per_customer=None):
        """A released reminder with a letter channel for each customer (the first customer's with
        ITEMS_PER_CUSTOMER[0] invoices...); returns the letter channels."""
        dispatches = self.env["recouvrement.dunning.dispatch"]
        for index, customer in enumerate(self.customers):
            count = items_per_customer[index] if items_per_customer else 1
            invoices = self.env["account.move"].concat(
                *(self._invoice(100.0 + index, days_late=20, partner=customer) for _i in range(count))
            )
            communication = self._communication(self.level, invoices)
            dispatches |= (
                self.env["recouvrement.dunning.dispatch"]
                .sudo()  # channels are the engine's records
                .create({"communication_id": communication.id, "channel": "letter"})
            )
            communication.action_approve()
        return dispatches.sudo(False)

    def _pay_url(self, communication):
        return f"{PAY_URL}{communication.name}"

    def _pay_url_hook(self, broken=None):
        """``_get_portal_payment_url`` printing each reminder's own link (raising for BROKEN)."""

        def pay_url(communication):
            if communication == broken:
                raise ValueError("this letter cannot be printed")
            return self._pay_url(communication)

        return pay_url

    def _send(self, dispatches, broken=None):
        """Send DISPATCHES with real PDFs, two letters per wkhtmltopdf call; BROKEN's letter
        cannot be rendered."""
        with (
            # on the registry's class: the portal addon, when installed, overrides the hook
            patch.object(
                type(self.env["recouvrement.dunning.communication"]),
                "_get_portal_payment_url",
                self._pay_url_hook(broken),
            ),
            patch.object(IrActionsReport, "_pdf_batch_size", 2),
        ):
            return super()._send(dispatches.communication_id)

    def _assert_letter_of(self, dispatch, pages=1):
        communication = dispatch.communication_id
        attachment = dispatch.attachment_id
        self.assertEqual(dispatch.state, "sent")
        self.assertEqual((attachment.res_model, attachment.res_id), (communication._name, communication.id))
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        links = pdf_links(attachment.raw)
        all_links = [link for page in links for link in page]
        self.assertEqual(
            [link for link in all_links if link.startswith(PAY_URL)],
            [self._pay_url(communication)],
            "its own letter (its payment link, on its last page), and no page of another letter",
        )
        self.assertFalse([link for link in all_links if link.startswith(MARKER_URL)], "the marker is removed")
        self.assertEqual(len(links), pages)

    def test_batch_prints_one_pdf_per_reminder(self):
        """Five reminders in two languages, one of them three pages long: each gets its own PDF,
        attached to its reminder, that has all its pages and none of the others'."""
        dispatches = self._queued_letters(items_per_customer=[1, 60, 1, 1, 2])
        printed = []
        run = IrActionsReport._render_qweb_pdfs_by_record

        def spy(reports, prints):
            results = run(reports, prints)
            printed.extend(
                (lang, sorted(res_ids), sorted(pdfs))
                for (_report, res_ids, lang), pdfs in zip(prints, results, strict=True)
            )
            return results

        with patch.object(IrActionsReport, "_render_qweb_pdfs_by_record", spy):
            self._send(dispatches.with_context(force_report_rendering=True))
        communications = dispatches.communication_id
        self.assertCountEqual(
            printed,
            [
                ("en_US", sorted(communications[0::2].ids), sorted(communications[0::2].ids)),
                ("fr_FR", sorted(communications[1::2].ids), sorted(communications[1::2].ids)),
            ],
            "printed in batches by language, every letter cut out of its batch",
        )
        long_letter = dispatches[1]
        for dispatch in dispatches - long_letter:
            self._assert_letter_of(dispatch)
        with patch.object(
            type(self.env["recouvrement.dunning.communication"]),
            "_get_portal_payment_url",
            self._pay_url_hook(),
        ):
            alone = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True, lang="fr_FR")
                ._render_qweb_pdf(self.level._get_letter_report(), long_letter.communication_id.ids)[0]
            )
        self.assertGreater(len(pdf_links(alone)), 1)
        self._assert_letter_of(long_letter, pages=len(pdf_links(alone)))
        self.assertEqual(len(dispatches.attachment_id), 5, "one attachment per reminder")
        self.assertEqual(set(communications.mapped("state")), {"sent"})

    def test_letter_failing_to_render_fails_alone(self):
        """A letter that cannot be rendered fails its own channel, with the reason; the other
        letters of its batch are sent."""
        dispatches = self._queued_letters()
        broken = dispatches[2]
        with self.assertLogs(DISPATCH_LOGGER, level="WARNING") as logs:
            self._send(dispatches.with_context(force_report_rendering=True), broken=broken.communication_id)
        self.assertIn(f"Reminder channel {broken.id} failed", logs.output[0])
        self.assertEqual(broken.state, "failed")
        self.assertIn("this letter cannot be printed", broken.failure_reason)
        self.assertFalse(broken.attachment_id)
        for dispatch in dispatches - broken:
            self._assert_letter_of(dispatch)

    def test_batch_cut_checks_the_markers(self):
        """A PDF whose markers do not match the records printed is not cut (each is printed alone)."""
        dispatches = self._queued_letters()
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        report = self.level._get_letter_report()
        ids = dispatches.communication_id.ids
        with patch.object(
            type(self.env["recouvrement.dunning.communication"]),
            "_get_portal_payment_url",
            lambda c: self._pay_url(c),
        ):
            pdfs = reports._render_qweb_pdf_by_record(report, ids[:3])
            self.assertEqual(sorted(pdfs), sorted(ids[:3]))
            whole = reports._render_qweb_pdf(report, ids[:1])[0]
        with self.assertRaisesRegex(ValueError, "do not match"):
            reports._split_pdf_batch(whole, ids[:2])
