from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

# Rates confirmed up to these dates (ir.config_parameter, ISO dates): beyond, the computation stops.
LEGAL_RATE_CONFIRMED_UNTIL = "recouvrement_credit.legal_rate_confirmed_until"
ECB_RATE_CONFIRMED_UNTIL = "recouvrement_credit.ecb_rate_confirmed_until"


def semester_start(day):
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def semester_end(day):
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def semester_name(day):
    """The semester's code (2026-S2), the name of a legal rate line."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def semester_label(env, day):
    """The semester in words, in the reader's language (2nd semester 2026, 2ᵉ semestre 2026)."""
    if day.month <= 6:
        return env._("1st semester %(year)s", year=day.year)
    return env._("2nd semester %(year)s", year=day.year)


def get_confirmed_until(env, key):
    """The date up to which a rate table is confirmed (KEY: one of the *_CONFIRMED_UNTIL
    parameters), or None when no date is set (no limit)."""
    value = env["ir.config_parameter"].sudo().get_param(key)  # sudo: a global setting read by every user
    return fields.Date.to_date(value) if value else None


class RecouvrementLegalRate(models.Model):
    """The French taux de l'intérêt légal of one semester (Monetary and Financial Code L313-2,
    D313-1-A), set by an arrêté published in late June / late December, in its two categories.

    This table is also the list of semesters whose rates are known: a late-payment computation
    that reaches a semester without a line here, or beyond the date up to which the table is
    confirmed (setting *Legal rates confirmed up to*), stops with an error naming it (contractual
    rates only need it for their floor: they compute and warn)."""

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
        """Messages name semesters in words and periods by their dates, in the reader's language."""
        for record in self:
            semester = semester_label(self.env, record.date_from)
            if record.date_to < record.date_from:
                raise ValidationError(
                    self.env._("The legal rate of the %(semester)s ends before it starts.", semester=semester)
                )
            if record.rate_individual < 0 or record.rate_other < 0:
                raise ValidationError(
                    self.env._("The legal rates of the %(semester)s cannot be negative.", semester=semester)
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
                        "The legal rates from %(date_from)s to %(date_to)s overlap those of the %(other)s "
                        "(%(other_from)s to %(other_to)s).",
                        date_from=format_date(self.env, record.date_from),
                        date_to=format_date(self.env, record.date_to),
                        other=semester_label(self.env, overlap.date_from),
                        other_from=format_date(self.env, overlap.date_from),
                        other_to=format_date(self.env, overlap.date_to),
                    )
                )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_semester_rate(self, day):
        """The line covering DAY; UserError naming the semester when its rates are not loaded or
        not confirmed (beyond the *Legal rates confirmed up to* setting)."""
        confirmed = get_confirmed_until(self.env, LEGAL_RATE_CONFIRMED_UNTIL)
        record = self.search([("date_from", "<=", day), ("date_to", ">=", day)], limit=1)
        if not record:
            raise UserError(
                self.env._(
                    "The French legal interest rate of the %(semester)s is not loaded yet: late-payment "
                    "penalties cannot be computed past %(date)s. Add the semester in Collections > "
                    "Configuration > Legal Interest Rates once its arrêté is published, then move the "
                    "setting Legal rates confirmed up to (and check the ECB rate in force on its first day).",
                    semester=semester_label(self.env, day),
                    date=format_date(self.env, semester_start(day) - relativedelta(days=1)),
                )
            )
        if confirmed and day > confirmed:
            raise UserError(
                self.env._(
                    "The French legal interest rates are confirmed up to %(date)s only: the rate of the "
                    "%(semester)s is not confirmed. Check it in Collections > Configuration > Legal "
                    "Interest Rates against its published arrêté, then move the setting Legal rates "
                    "confirmed up to (Accounting > Settings > Late-Payment Penalties).",
                    date=format_date(self.env, confirmed),
                    semester=semester_label(self.env, day),
                )
            )
        return record
