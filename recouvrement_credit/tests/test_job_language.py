"""The scheduled jobs run as a user whose language is not the company's (OdooBot, English): what they
write for the company's staff is in the company's language, what the customer receives in the
customer's; dates read in the reader's format, never ISO."""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .credit_common import TODAY
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestJobLanguage(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["recouvrement_credit"], ["fr_FR"], overwrite=True)
        cls.company.partner_id.lang = "fr_FR"  # a French company...
        cls.customer.lang = "en_US"  # ...with an English customer
        cls.env.ref("base.user_root").lang = "en_US"  # the jobs' user, as installed

    def _trigger(self, xmlid, day=TODAY):
        """Run the job as the scheduler does: as its own user, with the scheduler's context only."""
        cron = self.env.ref(xmlid)
        self.assertEqual(cron.user_id.lang, "en_US")
        with freeze_time(datetime.combine(day, time(8))):  # 10:00 in Paris, within contact hours
            cron.method_direct_trigger()

    def test_dunning_jobs_write_notes_in_the_company_language(self):
        invoice = self._invoice(300.0, days_late=1)
        self._trigger("recouvrement_credit.ir_cron_dunning_run")
        communication = self.communications.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(communication.state, "queued")
        self._trigger("recouvrement_credit.ir_cron_dunning_dispatch")
        self.assertEqual(communication.state, "sent")

        note = invoice.message_ids[0].body
        self.assertIn(f"Relance {communication.name} envoyée (Première relance", note)
        self.assertIn("300,00", note)
        self.assertEqual(self.customer.message_ids[0].body, note)
        # the customer reads its own language
        email = communication.dispatch_ids.message_id
        self.assertIn("payment reminder", email.subject)
        self.assertNotIn("Relance", email.subject)

    def test_failure_note_and_call_task_in_the_company_language(self):
        self.customer.email = False  # the first reminder's email fails: the reason is noted
        self._invoice(300.0, days_late=8)
        first = self._run(TODAY - timedelta(days=7))
        self._trigger("recouvrement_credit.ir_cron_dunning_dispatch", day=TODAY - timedelta(days=7))
        self.assertIn("Boulangerie Test n'a pas d'adresse e-mail.", first.dispatch_ids[0].failure_reason)
        self.assertTrue(any("n'a pas d'adresse e-mail" in body for body in first.message_ids.mapped("body")))

        self._trigger("recouvrement_credit.ir_cron_dunning_run")
        self._trigger("recouvrement_credit.ir_cron_dunning_dispatch")
        call = self.communications.search([("partner_id", "=", self.customer.id)]) - first
        self.assertEqual(call.dispatch_ids.channel, "phone")
        self.assertRegex(call.activity_ids.summary, r"^Appeler Boulangerie Test au sujet de .*300,00 échus$")

    def test_promise_job_notes_in_the_company_language_with_french_dates(self):
        invoice = self._invoice(500.0, days_late=20)
        item = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        with freeze_time(TODAY - timedelta(days=10)):
            promise = self.env["recouvrement.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_line_ids": [Command.set(item.ids)],
                    "date": TODAY - timedelta(days=8),
                    "grace_days": 3,
                }
            )
        self._trigger("recouvrement_credit.ir_cron_update_promises")
        self.assertEqual(promise.state, "broken")
        note = promise.message_ids[0].body
        self.assertIn("Promesse de règlement non tenue", note)
        self.assertIn("07/06/2026", note)  # TODAY - 8 days, French format
        self.assertIn("Promesse de règlement non tenue", promise.activity_ids.summary)

    def test_dates_in_the_readers_format(self):
        run = self.env["recouvrement.dunning.run"]._get_or_create(self.company, TODAY)
        self.assertEqual(run.with_context(lang="fr_FR").name, "Traitement de relance du 15/06/2026")
        self.assertEqual(run.with_context(lang="en_US").name, "Dunning run of 06/15/2026")
        rate = self.env["recouvrement.ecb.rate"].create({"date": TODAY, "rate": 2.0})
        self.assertEqual(rate.with_context(lang="fr_FR").display_name, "15/06/2026")
        french = self.env["recouvrement.ecb.rate"].with_context(lang="fr_FR")
        with self.assertRaisesRegex(ValidationError, "Le taux BCE du 16/06/2026 ne peut pas être négatif"):
            french.create({"date": TODAY + timedelta(days=1), "rate": -1.0})
        with self.assertRaisesRegex(UserError, "01/01/1990"):
            french._get_rate(date(1990, 1, 1))
