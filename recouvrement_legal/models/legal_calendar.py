"""Counting procedural deadlines as the Code de procédure civile does (art. 640 to 642 CPC).

- 641: a deadline in days does not count the day of the act; a deadline in months expires on the
  day of the last month that bears the same number as the day of the act, or on the last day of
  that month when it has no such day (31 January + 1 month = 28 or 29 February).
- 642: a deadline that would expire on a Saturday, a Sunday or a public holiday is extended to the
  next working day.

Pure functions, no ORM: the deadline rules, the prescription and the tests share them.
"""

import calendar
from datetime import date, timedelta

from dateutil.easter import easter

# French public holidays at fixed dates (Code du travail L3133-1): (month, day)
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
# Movable holidays: days after Easter Sunday (Easter Monday, Ascension Thursday, Whit Monday)
EASTER_OFFSETS = (1, 39, 50)


def add_months(start, months):
    """START + MONTHS calendar months (art. 641 al. 2 CPC): the same day number, or the last day of
    the target month when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def french_holidays(year):
    """The French public holidays of YEAR (metropolitan France, without Alsace-Moselle)."""
    holidays = {date(year, month, day) for month, day in FIXED_HOLIDAYS}
    sunday = easter(year)
    holidays |= {sunday + timedelta(days=offset) for offset in EASTER_OFFSETS}
    return holidays


def is_working_day(day):
    return day.weekday() < 5 and day not in french_holidays(day.year)


def next_working_day(day):
    """DAY, or the next working day when DAY is a Saturday, a Sunday or a public holiday (642)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline(start, months=0, days=0, extend=True):
    """The last day of a deadline of MONTHS months and DAYS days running from START (the day of
    the act), extended to the next working day when EXTEND (art. 642 CPC)."""
    end = add_months(start, months) if months else start
    end += timedelta(days=days)
    return next_working_day(end) if extend else end
