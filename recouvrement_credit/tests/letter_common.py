"""Fixtures for the letter tests: a company with a city and a bank account, and reminders built
directly at a chosen level for chosen invoices (the run itself is tested in test_dunning_run)."""

from odoo import Command

from .credit_common import TODAY
from .dunning_common import DunningCommon

IBAN = "FR7630006000011234567890189"


class LetterCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({"city": "Lyon", "street": "2 quai du Rhône", "zip": "69002"})
        bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id}
        )
        # as letters print it: grouped by four when the IBAN addon (French chart) formats account numbers
        cls.printed_iban = bank.acc_number
        cls.customer.ref = "CLI-0042"
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.consumer_levels = {
            level.day_offset: level
            for level in cls.env.ref("recouvrement_credit.dunning_scenario_consumer").level_ids
        }

    def _communication(self, level, invoices):
        """A reminder at LEVEL, dated TODAY, for the receivable items of INVOICES."""
        items = invoices.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        communication = (
            self.env["recouvrement.dunning.communication"]
            .sudo()  # reminders are the dunning run's records, as the run creates them
            .create(
                {
                    "partner_id": invoices.commercial_partner_id.id,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                    "scenario_id": level.scenario_id.id,
                    "level_id": level.id,
                    "date": TODAY,
                    "state": "to_review",
                    "amount_due": sum(items.mapped("amount_residual")),
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": item.id,
                                "move_id": item.move_id.id,
                                "date_maturity": item.date_maturity,
                                "days_late": (TODAY - item.date_maturity).days,
                                "amount_residual": item.amount_residual,
                                "level_id": level.id,
                            }
                        )
                        for item in items
                    ],
                }
            )
        )
        return communication.sudo(False)

    def _aged_invoices(self):
        """Open items at known ages on TODAY: one invoice per bucket boundary, a credit note and an
        unapplied payment. Returns the invoices by bucket."""
        invoices = {
            "not_due": self._invoice(100.0, days_late=-10),
            "days_1_30": self._invoice(200.0, days_late=30),
            "days_31_60": self._invoice(300.0, days_late=31),
            "days_61_90": self._invoice(400.0, days_late=90),
            "days_over_90": self._invoice(500.0, days_late=91),
        }
        self._invoice(50.0, days_late=0, move_type="out_refund")
        self._pay(30.0)
        return invoices
