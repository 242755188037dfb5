from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


def semester_start(day):
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def semester_end(day):
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def semester_name(day):
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


class RecouvrementLegalRate(models.Model):
    """The French taux de l'intérêt légal of one semester (Monetary and Financial Code L313-2,
    D313-1-A), set by an arrêté published in late June / late December, in its two categories.

    This table is also the list of semesters whose rates are known: a late-payment computation
    that reaches a semester without a line here stops with an error naming it, whatever the policy
    (load the new semester's ECB rate at the same time)."""

    _name = "recouvrement.legal.rate"
    _description = "French legal interest rate (per semester)"
    _order = "date_from desc"

    name = fields.Char("Semester", compute="_compute_name", store=True)
    date_from = fields.Date("Start", required=True)
    date_to = fields.Date("End", required=True)
    rate_individual = fields.Float(
        "Creditor Is a Private Individual (%)",
        digits=(16, 2),
        required=True,
        help="Rate when the creditor is a natural person not acting for professional purposes.",
    )
    rate_other = fields.Float(
        "All Other Cases (%)",
        digits=(16, 2),
        required=True,
        help="Rate in every other case, e.g. a company claiming from a consumer or a business. "
        "Contractual B2B penalty rates may not be lower than 3 times this rate.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("date_from")
    def _compute_name(self):
        for record in self:
            record.name = record.date_from and semester_name(record.date_from)

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("date_from", "date_to", "rate_individual", "rate_other")
    def _check_semester(self):
        for record in self:
            if record.date_to < record.date_from:
                raise ValidationError(
                    self.env._("The legal rate of %(semester)s ends before it starts.", semester=record.name)
                )
            if record.rate_individual < 0 or record.rate_other < 0:
                raise ValidationError(
                    self.env._("The legal rates of %(semester)s cannot be negative.", semester=record.name)
                )
            overlap = self.search(
                [
                    ("id", "!=", record.id),
                    ("date_from", "<=", record.date_to),
                    ("date_to", ">=", record.date_from),
                ],
                limit=1,
            )
            if overlap:
                raise ValidationError(
                    self.env._(
                        "The legal rates of %(semester)s overlap those of %(other)s.",
                        semester=record.name,
                        other=overlap.name,
                    )
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_semester_rate(self, day):
        """The line covering DAY; UserError naming the semester when its rates are not loaded."""
        record = self.search([("date_from", "<=", day), ("date_to", ">=", day)], limit=1)
        if not record:
            raise UserError(
                self.env._(
                    "The French legal interest rate of %(semester)s is not loaded yet: late-payment "
                    "penalties cannot be computed past %(date)s. Add the semester in Collections > "
                    "Configuration > Legal Interest Rates once its arrêté is published (and the ECB rate "
                    "in force on its first day).",
                    semester=semester_name(day),
                    date=format_date(self.env, semester_start(day) - relativedelta(days=1)),
                )
            )
        return record
