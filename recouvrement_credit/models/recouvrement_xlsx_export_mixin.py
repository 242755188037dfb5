from odoo import models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RecouvrementXlsxExportMixin(models.AbstractModel):
    """Reports that download as an XLSX workbook: they implement ``_get_xlsx`` (the file's bytes)
    and call ``_action_download_xlsx`` with the file's name."""

    _name = "recouvrement.xlsx.export.mixin"
    _description = "XLSX export"

    def _get_xlsx(self):
        raise NotImplementedError

    def _action_download_xlsx(self, filename):
        """Store the workbook as an attachment of the report and download it."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": self._get_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
