"""The evidence pack of a legal case: one PDF (cover page and index, then every document) and a ZIP
of the originals, generated on demand and kept as attachments of the case."""

import io
import zipfile

from odoo import models
from odoo.tools.pdf import merge_pdf


class RecouvrementLegalCaseEvidence(models.AbstractModel):
    """The evidence pack of a legal case (inherited by recouvrement.legal.case)."""

    _name = "recouvrement.legal.case.evidence"
    _description = "Legal case: evidence pack"

    def action_generate_evidence_pack(self):
        self.ensure_one()
        pdf, _archive = self._generate_evidence_pack()
        return {"type": "ir.actions.act_url", "url": f"/web/content/{pdf.id}?download=true", "target": "new"}

    def _generate_evidence_pack(self):
        """Return the (PDF, ZIP) attachments of the pack, created on the case."""
        self.ensure_one()
        documents = self._get_evidence_documents()
        index = [{"section": doc["section"], "name": doc["name"]} for doc in documents]
        cover, _type = (
            self.env["ir.actions.report"]
            .with_context(index_by_case={self.id: index})
            ._render_qweb_pdf("recouvrement_legal.action_report_legal_evidence_cover", self.ids)
        )
        pdfs = [cover] + [doc["content"] for doc in documents if doc["content"][:4] == b"%PDF"]
        merged = merge_pdf(pdfs) if all(p[:4] == b"%PDF" for p in pdfs) else cover
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("00-index.pdf", cover)
            for number, doc in enumerate(documents, start=1):
                archive.writestr(f"{number:02d}-{doc['filename']}", doc["content"])
        base = self.name.replace("/", "-")
        Attachment = self.env["ir.attachment"]
        pdf = Attachment.create(
            {
                "name": self.env._("%(case)s - evidence pack.pdf", case=base),
                "raw": merged,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        zipped = Attachment.create(
            {
                "name": self.env._("%(case)s - originals.zip", case=base),
                "raw": buffer.getvalue(),
                "mimetype": "application/zip",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.message_post(
            body=self.env._("Evidence pack generated (%(count)s documents).", count=len(documents)),
            attachment_ids=(pdf | zipped).ids,
            subtype_xmlid="mail.mt_note",
        )
        return pdf, zipped

    def _get_evidence_documents(self):
        """Hook: the documents of the pack, in order, as dicts ``section``, ``name``, ``filename``,
        ``content`` (bytes): the invoices and their attachments (signed order, delivery proof,
        terms of sale), every reminder and formal notice as sent with the registered-letter proofs,
        and the statement of account."""
        Report = self.env["ir.actions.report"]
        invoices = self.line_ids.move_id
        documents = []
        for invoice in invoices:
            content, _type = Report._render_qweb_pdf("account.account_invoices", invoice.ids)
            name = invoice.name.replace("/", "-")
            documents.append(self._evidence(self.env._("Invoice"), invoice.name, f"{name}.pdf", content))
            for attachment in self._get_evidence_attachments(invoice):
                documents.append(
                    self._evidence(
                        self.env._("Invoice attachment"), attachment.name, attachment.name, attachment.raw
                    )
                )
        for communication in self._get_evidence_reminders():
            for dispatch in communication.dispatch_ids.filtered(lambda d: d.attachment_id):
                attachment = dispatch.attachment_id
                documents.append(
                    self._evidence(
                        self.env._("Reminder"), communication.name, attachment.name, attachment.raw
                    )
                )
                if dispatch.proof_attachment_id:
                    proof = dispatch.proof_attachment_id
                    documents.append(
                        self._evidence(
                            self.env._("Registered-letter proof"), communication.name, proof.name, proof.raw
                        )
                    )
        statement, _type = Report.with_company(self.company_id)._render_qweb_pdf(
            "recouvrement_credit.action_report_statement_of_account", self.partner_id.ids
        )
        documents.append(
            self._evidence(
                self.env._("Statement of account"), self.partner_id.name, "statement.pdf", statement
            )
        )
        return documents

    def _get_evidence_attachments(self, invoice):
        # read access to the invoice is enough to read its attachments; the invoice PDF itself is rendered
        return (
            self.env["ir.attachment"]
            .search(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("res_field", "=", False)]
            )
            .filtered(lambda a: a.name != invoice.message_main_attachment_id.name)
        )

    def _get_evidence_reminders(self):
        return self.env["recouvrement.dunning.communication"].search(
            [
                ("line_ids.move_id", "in", self.line_ids.move_id.ids),
                ("state", "in", ("sent", "queued")),
            ],
            order="date, id",
        )

    def _evidence(self, section, name, filename, content):
        return {"section": section, "name": name, "filename": filename, "content": content or b""}
