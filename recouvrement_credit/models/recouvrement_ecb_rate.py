from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class RecouvrementEcbRate(models.Model):
    """The ECB main refinancing operations (MRO) rate, one line per change, from its effective date.

    The rate in force on a day is the one of the latest change on or before it. Late-payment policies
    read it on 1 January / 1 July (French B2B, EU directive) or on the first day of the semester in
    which the delay starts (French public buyers)."""

    _name = "recouvrement.ecb.rate"
    _description = "ECB main refinancing rate"
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date("Effective Date", required=True)
    rate = fields.Float("MRO Rate (%)", digits=(16, 2), required=True)

    _sql_constraints = [("date_unique", "unique(date)", "There is already an ECB rate from this date.")]

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The effective date in the reader's format (not ISO)."""
        for record in self:
            record.display_name = format_date(self.env, record.date) if record.date else ""

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("rate")
    def _check_rate(self):
        for record in self:
            if record.rate < 0:
                raise ValidationError(
                    self.env._(
                        "The ECB rate from %(date)s cannot be negative.",
                        date=format_date(self.env, record.date),
                    )
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_rate(self, on_date):
        """The MRO rate (%) in force on ON_DATE; UserError when no rate is known that early."""
        record = self.search([("date", "<=", on_date)], order="date desc", limit=1)
        if not record:
            raise UserError(
                self.env._(
                    "No ECB main refinancing rate is recorded on %(date)s: add it in Collections > "
                    "Configuration > ECB Rates.",
                    date=format_date(self.env, on_date),
                )
            )
        return record.rate
