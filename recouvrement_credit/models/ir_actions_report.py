"""Printing many records of one report as one PDF each, with few wkhtmltopdf calls run side by side.

wkhtmltopdf costs about a second a call whatever it prints (start-up, the report's assets, the
``report.print_delay`` wait), so printing reminders one at a time caps the letters at about one a
second. Here a batch of records is printed by one call, several calls run at once, and the PDF is cut
back into one PDF per record. Odoo's own cut (by the PDF outlines) needs the patched-Qt wkhtmltopdf,
and the wkhtmltopdf of Linux distributions is not patched: it prints one HTML document per call and
no outline. So each record's first page carries a marker, a link to ``MARKER_URL`` + its id (a
link annotation, read without parsing the page's text, removed from the PDF given back):

- unpatched wkhtmltopdf: the batch's records are printed as ONE document, each from a new page
  (the engine ignores headers and footers, as it does when printing a record alone);
- patched wkhtmltopdf: one document per record in the same call, as Odoo prints several records,
  so that each keeps its own header, footer and page numbers.
"""

import functools
import io
import logging
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import lxml.html

from odoo import api, models, tools
from odoo.http import request
from odoo.tools.misc import split_every
from odoo.tools.pdf import ArrayObject, NameObject, PdfReader, PdfWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

MARKER_URL = "https://recouvrement.invalid/document/"
BODY_SIZE_LIMIT = 4 * 1024 * 1024  # Odoo splits the tables of larger bodies: those print alone


@functools.cache
def wkhtmltopdf_prints_several_documents():
    """Whether this wkhtmltopdf is built on the patched Qt (several documents per call, headers)."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version.lower()


def run_wkhtmltopdf(command, bodies, header, footer):
    """The PDF that wkhtmltopdf COMMAND prints from BODIES with HEADER and FOOTER, as Odoo's
    ``_run_wkhtmltopdf`` runs it (same files, same accepted return codes). Uses no database cursor:
    safe in a worker thread."""
    with tempfile.TemporaryDirectory(prefix="report.batch.") as folder:

        def write(name, html):
            path = os.path.join(folder, name)
            with open(path, "wb") as file:
                file.write(html.encode())
            return path

        files = []
        if header:
            files += ["--header-html", write("header.html", header)]
        if footer:
            files += ["--footer-html", write("footer.html", footer)]
        files += [write(f"body{index}.html", body) for index, body in enumerate(bodies)]
        output = os.path.join(folder, "report.pdf")
        process = subprocess.run(
            [*command, *files, output], capture_output=True, encoding="utf-8", check=False
        )
        if process.returncode not in (0, 1):
            raise OSError(f"wkhtmltopdf failed ({process.returncode}): {process.stderr[-1000:]}")
        with open(output, "rb") as file:
            pdf = file.read()
    if not pdf:
        raise OSError(f"wkhtmltopdf printed nothing: {process.stderr[-1000:]}")
    return pdf


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Records per wkhtmltopdf call, and calls run at once: the one-second wait of each call is
    # shared by its records; while one call waits or prints, the next batch's HTML is rendered.
    # Can be inherited (e.g. more calls at once on a larger machine).
    _pdf_batch_size = 20
    _pdf_batch_workers = 2

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _render_qweb_pdf_by_record(self, report_ref, res_ids):
        """Print REPORT_REF for each of RES_IDS as its own PDF, in batches: ``{res_id: PDF bytes}``,
        each the document that ``_render_qweb_pdf(report_ref, [res_id])`` prints (plus an invisible
        one-pixel marker on its first page). See ``_render_qweb_pdfs_by_record``."""
        return self._render_qweb_pdfs_by_record([(report_ref, res_ids, self.env.context.get("lang"))])[0]

    @api.model
    def _render_qweb_pdfs_by_record(self, prints):
        """``_render_qweb_pdf_by_record`` for several reports or languages sharing the same
        wkhtmltopdf calls running side by side: PRINTS is a list of ``(report_ref, res_ids, lang)``;
        returns one ``{res_id: PDF bytes}`` per print.

        Never raises for a record: a record missing from the result could not be printed in its
        batch (its HTML failed to render, wkhtmltopdf failed, or its pages could not be told apart);
        print it alone to get the document or the error. Empty in tests that do not force the PDF
        rendering (Odoo then renders HTML), and when called within an HTTP request, whose session
        cookie only Odoo's own call passes to wkhtmltopdf."""
        results = [{} for _print in prints]
        if request or (
            (tools.config["test_enable"] or tools.config["test_file"])
            and not self.env.context.get("force_report_rendering")
        ):
            return results
        # The HTML of the next batches renders here while wkhtmltopdf prints the first ones, except
        # in tests: there the HTTP server that wkhtmltopdf asks for the assets shares this cursor.
        pipelined = not self.env.registry.in_test_mode()
        with ThreadPoolExecutor(max_workers=self._pdf_batch_workers) as pool:
            jobs = []
            for pdfs, (report_ref, res_ids, lang) in zip(results, prints, strict=True):
                if self._get_report(report_ref).report_type != "qweb-pdf":
                    continue
                reports = self.with_context(lang=lang)
                for batch_ids in split_every(self._pdf_batch_size, res_ids, list):
                    job = reports._prepare_pdf_batch(report_ref, batch_ids)
                    if job:
                        jobs.append(
                            (pdfs, batch_ids, pool.submit(run_wkhtmltopdf, *job) if pipelined else job)
                        )
            printing = [
                (pdfs, batch_ids, job if pipelined else pool.submit(run_wkhtmltopdf, *job))
                for pdfs, batch_ids, job in jobs
            ]
            for pdfs, batch_ids, future in printing:
                try:
                    pdfs.update(self._split_pdf_batch(future.result(), batch_ids))
                except Exception as error:  # noqa: BLE001 - the batch's records are printed alone instead
                    _logger.warning("Printing %s records in one batch failed: %s", len(batch_ids), error)
        return results

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _prepare_pdf_batch(self, report_ref, res_ids):
        """The wkhtmltopdf call printing RES_IDS: ``(command, bodies, header, footer)``, or None
        when their HTML cannot be rendered together (then each is printed alone)."""
        report = self._get_report(report_ref)
        try:
            # a savepoint: a template error must not abort the transaction of the whole sending
            with self.env.cr.savepoint(flush=False):
                # debug off, as Odoo prints PDFs: assets in one bundle, loaded in time by wkhtmltopdf
                html = self.with_context(debug=False)._render_qweb_html(report_ref, res_ids)[0]
                bodies, html_ids, header, footer, paperformat_args = report.with_context(
                    debug=False
                )._prepare_html(html, report_model=report.model)
        except Exception as error:  # noqa: BLE001 - the batch's records are printed alone instead
            _logger.info("Rendering %s records in one batch failed: %s", len(res_ids), error)
            return None
        if html_ids != res_ids or any(len(body) >= BODY_SIZE_LIMIT for body in bodies):
            return None
        bodies = [self._mark_pdf_body(body, res_id) for body, res_id in zip(bodies, res_ids, strict=True)]
        if not wkhtmltopdf_prints_several_documents():
            bodies = [self._merge_pdf_bodies(bodies)]
        command = [_get_wkhtmltopdf_bin()] + self._build_wkhtmltopdf_args(
            report.get_paperformat(),
            self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        return command, bodies, header, footer

    @api.model
    def _mark_pdf_body(self, body, res_id):
        """BODY (one record's HTML document) with its marker at the top of its first page: a link
        of no width in invisible one-pixel text, taking no room in the page."""
        document = lxml.html.document_fromstring(body)
        marker = lxml.html.fragment_fromstring(
            '<div style="position: relative; height: 0; margin: 0; padding: 0;">'
            f'<a href="{MARKER_URL}{int(res_id)}" style="position: absolute; top: 0; left: 0; '
            'font-size: 1px; line-height: 1px; color: #fff; text-decoration: none;">.</a></div>'
        )
        body = document.find("body")
        page = body[0] if len(body) else body  # the record's article, where its first page starts
        page.insert(0, marker)
        return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _merge_pdf_bodies(self, bodies):
        """One HTML document printing BODIES one after the other, each from a new page (the head,
        with the report's assets, is the first body's: the batch shares report, language and
        company)."""
        documents = [lxml.html.document_fromstring(body) for body in bodies]
        merged = documents[0].find("body")
        for document in documents[1:]:
            children = list(document.find("body"))
            if not children:
                continue
            children[0].set("style", f"{children[0].get('style') or ''}; page-break-before: always;")
            merged.extend(children)
        return lxml.html.tostring(documents[0], encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _split_pdf_batch(self, pdf, res_ids):
        """Cut PDF, printed for RES_IDS in this order, at each record's marker: ``{res_id: PDF}``.
        Raises ValueError unless every record has exactly one marker, in order, the first on the
        first page, and at most one per page: a batch that cannot be cut for sure is not cut."""
        reader = PdfReader(io.BytesIO(pdf))
        starts = []  # (res_id, first page)
        for index, page in enumerate(reader.pages):
            annotations = page.get("/Annots")
            if not annotations:
                continue
            kept = ArrayObject()
            for annotation in annotations:
                action = annotation.get_object().get("/A")
                uri = str(action.get_object().get("/URI", "")) if action else ""
                if uri.startswith(MARKER_URL):
                    starts.append((int(uri[len(MARKER_URL) :]), index))
                else:
                    kept.append(annotation)
            if len(kept) != len(annotations):
                page[NameObject("/Annots")] = kept
        pages = [index for _res_id, index in starts]
        if (
            [res_id for res_id, _index in starts] != list(res_ids)
            or pages[:1] != [0]
            or pages != sorted(set(pages))
        ):
            raise ValueError(f"the markers found ({starts}) do not match the records printed ({res_ids})")
        pdfs = {}
        for (res_id, first), end in zip(starts, [*pages[1:], len(reader.pages)], strict=True):
            writer = PdfWriter()
            for index in range(first, end):
                writer.add_page(reader.pages[index])
            stream = io.BytesIO()
            writer.write(stream)
            pdfs[res_id] = stream.getvalue()
        return pdfs
