import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import api, fields, models
from odoo.exceptions import UserError

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters Excel refuses in a sheet's name, and its longest name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_SIZE = 31

# The table of a record export: title in row 1, header in row 3, one row per record from row 4.
HEADER_ROW = 2


class RecouvrementXlsxExportMixin(models.AbstractModel):
    """Downloads as XLSX workbooks, two ways:

    - reports (aged balance, KPIs) implement ``_get_xlsx`` (the file's bytes) and call
      ``_action_download_xlsx`` with the file's name;
    - records (reminders, penalties charged, legal cases...) list their columns in
      ``_get_xlsx_table_columns``; ``action_export_xlsx_records`` (the lists' "Export to Excel"
      action and the forms' buttons) writes the selected records as a table, one sheet per company:
      real numbers and dates, frozen header, filters and a total row."""

    _name = "recouvrement.xlsx.export.mixin"
    _description = "XLSX export"

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_export_xlsx_records(self):
        """Download the records (or what ``_get_xlsx_export_records`` gives for them) as a table."""
        records = self._get_xlsx_export_records()
        if not records:
            raise UserError(self.env._("There is nothing to export."))
        records.check_access("read")
        filename = self.env._(
            "%(name)s %(date)s.xlsx",
            name=records._description,
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )
        return self._download_xlsx(filename, records._get_xlsx_table())

    @api.model
    def _action_export_xlsx_active_records(self):
        """The lists' "Export to Excel" (a server action of this mixin): the records selected in
        the list (``active_model``, ``active_ids``), which the user must be allowed to read."""
        records = self.env[self.env.context["active_model"]].browse(self.env.context.get("active_ids"))
        if not isinstance(records, self.pool[self._name]):
            raise UserError(self.env._("These records cannot be exported to Excel."))
        return records.action_export_xlsx_records()

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _get_xlsx(self):
        raise NotImplementedError

    def _get_xlsx_export_records(self):
        """The records a record export writes: these ones by default (a dunning run writes its
        reminders). Can be inherited."""
        return self

    def _get_xlsx_table_columns(self):
        """Columns of the record export, in order: ``(field path, header, total)``. The path may
        follow relations ("level_id.level", "dispatch_ids.channel"); the header defaults to the
        field's label; ``total`` adds the column's sum under the table (money columns only sum
        when every row has the same currency). Can be inherited."""
        return [("display_name", self.env._("Name"), False)]

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _action_download_xlsx(self, filename):
        """Store the report's workbook as an attachment of the report and download it."""
        self.ensure_one()
        return self._download_xlsx(filename, self._get_xlsx(), res_id=self.id)

    def _download_xlsx(self, filename, content, res_id=False):
        """Store CONTENT as an attachment and download it. Without RES_ID the file belongs to no
        record: only the user who created it may read it."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": content,
                "res_model": self._name,
                "res_id": res_id,
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _get_xlsx_table(self):
        """The workbook of the record export: a sheet per company (in name order), a row per record
        in the model's order."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
        formats = {
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "money_total": workbook.add_format({"num_format": "#,##0.00", "bold": True}),
            "float": workbook.add_format({"num_format": "#,##0.0"}),
            "float_total": workbook.add_format({"num_format": "#,##0.0", "bold": True}),
            "integer": workbook.add_format({"num_format": "0"}),
            "integer_total": workbook.add_format({"num_format": "0", "bold": True}),
        }
        columns = [
            (path, header or self._get_xlsx_field(path).string, total)
            for path, header, total in self._get_xlsx_table_columns()
        ]
        sheet_names = set()
        for company, records in self._get_xlsx_companies():
            name = self._get_xlsx_sheet_name(company.name if company else self._description, sheet_names)
            sheet = workbook.add_worksheet(name)
            sheet.write(0, 0, self._description, formats["bold"])
            if company:
                sheet.write(0, 1, company.name, formats["bold"])
            records._write_xlsx_table(sheet, columns, formats)
        workbook.close()
        return buffer.getvalue()

    def _get_xlsx_companies(self):
        """[(company, its records)] sorted by company name; one entry with no company when the
        model has none."""
        if "company_id" not in self._fields:
            return [(None, self)]
        companies = self.company_id.sorted("name")
        return [(company, self.filtered(lambda r, c=company: r.company_id == c)) for company in companies]

    @staticmethod
    def _get_xlsx_sheet_name(name, used):
        """NAME as Excel accepts it for a sheet, unique among USED (which it joins)."""
        base = SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:SHEET_NAME_SIZE] or "Sheet"
        candidate, index = base, 2
        while candidate.lower() in used:
            suffix = f" ({index})"
            candidate, index = base[: SHEET_NAME_SIZE - len(suffix)] + suffix, index + 1
        used.add(candidate.lower())
        return candidate

    def _write_xlsx_table(self, sheet, columns, formats):
        """Header, one row per record, the total row; header frozen and filtered."""
        sheet.write_row(HEADER_ROW, 0, [header for _path, header, _total in columns], formats["bold"])
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        for row, record in enumerate(self, start=HEADER_ROW + 1):
            for column, (path, _header, _total) in enumerate(columns):
                kind, value = record._get_xlsx_cell(path)
                self._write_xlsx_cell(sheet, row, column, kind, value, formats)
        last_row = HEADER_ROW + len(self)
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        total_row = last_row + 1
        for column, (path, _header, total) in enumerate(columns):
            kind = self[:1]._get_xlsx_cell(path)[0]
            if total and kind in ("money", "float", "integer") and self._can_total_xlsx_column(path):
                cells = f"{xl_rowcol_to_cell(HEADER_ROW + 1, column)}:{xl_rowcol_to_cell(last_row, column)}"
                value = sum(record._get_xlsx_cell(path)[1] or 0 for record in self)
                sheet.write_formula(total_row, column, f"=SUM({cells})", formats[f"{kind}_total"], value)
        if any(total for _path, _header, total in columns):
            sheet.write(total_row, 0, self.env._("Total"), formats["bold"])
        for column, (_path, header, _total) in enumerate(columns):
            sheet.set_column(column, column, max(12, min(len(header) + 4, 40)))

    @staticmethod
    def _write_xlsx_cell(sheet, row, column, kind, value, formats):
        if value is False or value is None or value == "":
            sheet.write_blank(row, column, None)
        elif kind in ("date", "datetime"):
            sheet.write_datetime(row, column, value, formats[kind])
        elif kind in ("money", "float", "integer"):
            sheet.write_number(row, column, value, formats[kind])
        elif kind == "boolean":
            sheet.write_boolean(row, column, value)
        else:
            sheet.write_string(row, column, value)

    def _get_xlsx_field(self, path):
        """The field at the end of PATH ("level_id.level")."""
        model = self
        names = path.split(".")
        for name in names[:-1]:
            model = self.env[model._fields[name].comodel_name]
        return model._fields[names[-1]]

    def _get_xlsx_cell(self, path):
        """(kind, value) of PATH on this record, as the sheet writes it: dates as datetimes (in the
        user's time zone), money rounded to its currency, relations and selections as their names
        (joined when the path crosses several records)."""
        self.ensure_one()
        names = path.split(".")
        records = self
        for name in names[:-1]:
            records = records[name]
        field = records._fields[names[-1]]
        if field.type == "date":
            value = records[:1][field.name]
            return "date", value and fields.Datetime.to_datetime(value)
        if field.type == "datetime":
            value = records[:1][field.name]
            return "datetime", value and fields.Datetime.context_timestamp(self, value).replace(tzinfo=None)
        if field.type == "monetary":
            record = records[:1]
            currency = record[field.get_currency_field(record)] if record else False
            value = record[field.name] if record else 0.0
            return "money", currency.round(value) if currency else value
        if field.type in ("float", "integer") and len(records) <= 1:
            return field.type, records[field.name] if records else False
        if field.type == "boolean" and len(records) <= 1:
            return "boolean", bool(records[field.name])
        return "text", ", ".join(dict.fromkeys(self._get_xlsx_texts(records, field)))

    @staticmethod
    def _get_xlsx_texts(records, field):
        for record in records:
            value = record[field.name]
            if field.type == "selection":
                value = dict(field._description_selection(record.env)).get(value, value)
            elif field.relational:
                yield from value.mapped("display_name")
                continue
            if value not in (False, None, ""):
                yield str(value)

    def _can_total_xlsx_column(self, path):
        """A money column sums only when every row is in the same currency."""
        field = self._get_xlsx_field(path)
        currency_field = field.type == "monetary" and "." not in path and field.get_currency_field(self)
        return not currency_field or len(self.mapped(currency_field)) <= 1
