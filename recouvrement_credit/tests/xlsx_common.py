"""Reading back the XLSX files the exports download."""

import io

import openpyxl


class XlsxReaderMixin:
    def _read_xlsx(self, action):
        """The workbook behind an export's download action (formulas read as their values)."""
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return openpyxl.load_workbook(io.BytesIO(attachment.raw), data_only=True)

    def _read_table(self, sheet):
        """(rows as {header: value}, total row as {header: value}) of a record export's sheet: the
        header is row 3, the records follow, then the total row (first cell "Total")."""
        header = [cell.value for cell in sheet[3]]
        rows, total = [], {}
        for values in sheet.iter_rows(min_row=4, values_only=True):
            row = dict(zip(header, values, strict=False))
            if values[0] == "Total":
                total = row
            else:
                rows.append(row)
        return rows, total
