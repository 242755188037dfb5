"""Fixtures for the dunning tests: the installed standard scenario, a reachable customer, and a
helper that runs the dunning of a given day the way the daily job does."""

from datetime import datetime, time

from freezegun import freeze_time

from .credit_common import TODAY, CreditCommon


class DunningCommon(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "compta@menuiserie.example.com",
                "dunning_scenario_id": cls.env.ref("recouvrement_credit.dunning_scenario_standard").id,
                "dunning_tolerance_amount": 5.0,
                "dunning_contact_cap": 0,
            }
        )
        cls.company.partner_id.tz = "Europe/Paris"
        cls.customer.write(
            {
                "email": "factures@boulangerie.example.com",
                "phone": "+33 1 23 45 67 89",
                "mobile": "+33 6 12 34 56 78",
                "street": "1 rue du Four",
                "zip": "75001",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.other_currency = cls.setup_other_currency("EUR")
        cls.standard = cls.env.ref("recouvrement_credit.dunning_scenario_standard")
        cls.levels = {level.day_offset: level for level in cls.standard.level_ids}
        cls.communications = cls.env["recouvrement.dunning.communication"]

    def _run(self, day=TODAY, limit=None, hour=10):
        """Run the dunning of DAY (at HOUR, company time) and return the reminders it created."""
        with freeze_time(datetime.combine(day, time(hour - 2))):  # UTC, Paris is UTC+2 in summer
            run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, day)
            before = run.communication_ids
            run._generate(limit=limit)
            run.invalidate_recordset(["communication_ids"])
            return run.communication_ids - before

    def _send(self, communications, day=TODAY, hour=10):
        with freeze_time(datetime.combine(day, time(hour - 2))):
            communications.dispatch_ids._send()
