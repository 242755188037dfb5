from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .recouvrement_legal_rate import ECB_RATE_CONFIRMED_UNTIL, get_confirmed_until


class RecouvrementEcbRate(models.Model):
    """The ECB main refinancing operations (MRO) rate, one line per change, from its effective date.

    The rate in force on a day is the one of the latest change on or before it, up to the date the
    table is confirmed (setting *ECB rates confirmed up to*): beyond it, a missed ECB decision could
    slip through, so the computation stops and says what to check. Late-payment policies
    read it on 1 January / 1 July (French B2B, EU directive) or on the first day of the semester in
    which the delay starts (French public buyers)."""

    _name = "recouvrement.ecb.rate"
    _description = "ECB main refinancing rate"
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date("Effective Date", required=True)
    rate = fields.Float("MRO Rate (%)", digits=(16, 2), required=True)

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

    @api.constrains("date")
    def _check_date_unique(self):
        duplicates = self._read_group(
            [("date", "in", self.mapped("date"))], ["date:day"], having=[("__count", ">", 1)]
        )
        if duplicates:
            raise ValidationError(
                self.env._(
                    "There is already an ECB rate from %(date)s: change its rate instead of adding another.",
                    date=format_date(self.env, duplicates[0][0]),
                )
            )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_rate(self, on_date):
        """The MRO rate (%) in force on ON_DATE; UserError when no rate is known that early or when
        ON_DATE is beyond the date up to which the ECB rates are confirmed."""
        confirmed = get_confirmed_until(self.env, ECB_RATE_CONFIRMED_UNTIL)
        if confirmed and on_date > confirmed:
            raise UserError(
                self.env._(
                    "The ECB rates are confirmed up to %(confirmed)s only: the rate in force on %(date)s "
                    "is not known for sure. Add the ECB decisions taken since then in Collections > "
                    "Configuration > ECB Rates (if any), then move the setting ECB rates confirmed up to "
                    "(Accounting > Settings > Late-Payment Penalties) to %(date)s or later.",
                    confirmed=format_date(self.env, confirmed),
                    date=format_date(self.env, on_date),
                )
            )
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
