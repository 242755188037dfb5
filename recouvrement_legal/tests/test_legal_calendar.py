from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.recouvrement_legal.models import legal_calendar

# (start, months, days, last day as counted by art. 641 CPC, after the extension of art. 642 CPC)
# computed by hand from a calendar (Easter 2026-04-05, 2027-03-28).
TABLE = [
    (date(2024, 1, 31), 1, 0, date(2024, 2, 29), date(2024, 2, 29)),  # leap year, month end
    (date(2023, 1, 31), 1, 0, date(2023, 2, 28), date(2023, 2, 28)),  # no 31 February
    (date(2026, 3, 31), 1, 0, date(2026, 4, 30), date(2026, 4, 30)),  # 31st → 30th
    (date(2025, 8, 31), 6, 0, date(2026, 2, 28), date(2026, 3, 2)),  # 31 Aug + 6 months, a Saturday
    (date(2023, 8, 31), 6, 0, date(2024, 2, 29), date(2024, 2, 29)),  # 31 Aug + 6 months, leap year
    (date(2026, 1, 15), 6, 0, date(2026, 7, 15), date(2026, 7, 15)),  # plain service deadline
    (date(2026, 6, 14), 1, 0, date(2026, 7, 14), date(2026, 7, 15)),  # 14 July
    (date(2026, 4, 8), 1, 0, date(2026, 5, 8), date(2026, 5, 11)),  # 8 May, a Friday, then the weekend
    (date(2026, 4, 14), 1, 0, date(2026, 5, 14), date(2026, 5, 15)),  # Ascension Thursday 2026
    (date(2026, 6, 10), 0, 8, date(2026, 6, 18), date(2026, 6, 18)),  # 8 days: the day of the act not counted
    (date(2026, 12, 17), 0, 8, date(2026, 12, 25), date(2026, 12, 28)),  # Christmas then the weekend
    (date(2026, 4, 25), 1, 0, date(2026, 5, 25), date(2026, 5, 26)),  # Whit Monday 2026
    (date(2027, 1, 29), 2, 0, date(2027, 3, 29), date(2027, 3, 30)),  # Easter Monday 2027
    (date(2026, 12, 31), 2, 0, date(2027, 2, 28), date(2027, 3, 1)),  # month end, a Sunday
    (date(2025, 12, 1), 1, 0, date(2026, 1, 1), date(2026, 1, 2)),  # New Year's Day
    (date(2026, 10, 31), 1, 0, date(2026, 11, 30), date(2026, 11, 30)),  # 31 Oct → 30 Nov
    (date(2027, 10, 11), 1, 0, date(2027, 11, 11), date(2027, 11, 12)),  # Armistice
    (date(2024, 2, 29), 12, 0, date(2025, 2, 28), date(2025, 2, 28)),  # 29 Feb + 1 year
    (date(2026, 2, 20), 0, 8, date(2026, 2, 28), date(2026, 3, 2)),  # days ending on a Saturday
    (date(2026, 5, 30), 6, 0, date(2026, 11, 30), date(2026, 11, 30)),
]


@tagged("post_install", "-at_install")
class TestLegalCalendar(TransactionCase):
    def test_deadline_table(self):
        for start, months, days, plain, extended in TABLE:
            with self.subTest(start=start, months=months, days=days):
                self.assertEqual(legal_calendar.deadline(start, months, days, extend=False), plain)
                self.assertEqual(legal_calendar.deadline(start, months, days), extended)

    def test_table_is_large_enough(self):
        self.assertGreaterEqual(len(TABLE), 15)

    def test_french_holidays(self):
        holidays = legal_calendar.french_holidays(2026)
        self.assertEqual(len(holidays), 11)
        for day in (date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25), date(2026, 8, 15)):
            self.assertIn(day, holidays)
        self.assertFalse(legal_calendar.is_working_day(date(2026, 5, 1)))
        self.assertTrue(legal_calendar.is_working_day(date(2026, 5, 4)))
