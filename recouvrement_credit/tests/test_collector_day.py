"""The collector's day (issue #14): the screens a collector reads answer "who owes what", say why
nothing is due, what goes out and when, and never end on an access error."""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools import SQL, format_date

from .credit_common import TODAY
from .dunning_common import DunningCommon


def day(offset):
    return TODAY + timedelta(days=offset)


class CollectorCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).dunning_collector_id = cls.collector

    def _arch(self, model, view_type, user=None, action_xmlid=None):
        """The arch of VIEW_TYPE as the web client loads it (for USER, with the action's view)."""
        records = self.env[model].with_user(user or self.env.user)
        view_id = False
        if action_xmlid:
            action = self.env.ref(action_xmlid)
            view_id = next(
                (view.view_id.id for view in action.view_ids if view.view_mode == view_type),
                action.view_id.id if view_type == "list" else False,
            )
        views = records.get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _receivable_line(self, invoice):
        return invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestUnpaidInvoicesList(CollectorCommon):
    def test_landing_list_shows_who_owes_what(self):
        arch = self._arch(
            "account.move", "list", self.collector, "recouvrement_credit.account_move_action_receivable"
        )
        columns = {node.get("name"): node for node in arch.iter("field")}
        for name in (
            "commercial_partner_id",
            "dunning_collector_id",
            "invoice_date_due",
            "dunning_days_late",
            "amount_residual",
            "amount_residual_signed",
            "dunning_level_reached_id",
            "dunning_pause",
        ):
            self.assertIn(name, columns, f"{name} is a column of the collectors' list")
        self.assertEqual(
            columns["amount_residual_signed"].get("sum"), "Total Due", "total in company currency"
        )
        self.assertFalse(columns["amount_residual"].get("sum"), "no total across currencies")
        self.assertNotIn("amount_untaxed_signed", columns)
        self.assertNotIn("company_id", columns, "no company column for a single-company user")
        search = etree.fromstring(
            self.env["account.move"]
            .with_user(self.collector)
            .get_views(
                [(self.env.ref("recouvrement_credit.account_move_view_search_receivable").id, "search")]
            )["views"]["search"]["arch"]
        )
        group = search.xpath("//filter[@name='group_customer']")
        self.assertTrue(group and "commercial_partner_id" in group[0].get("context"))

    def test_invoice_facts_for_the_list(self):
        invoice = self._invoice(500.0, days_late=9)
        self._run(day(-8))  # J+1
        invoice.invalidate_recordset()
        invoice = invoice.with_user(self.collector)
        self.assertEqual(invoice.dunning_days_late, 9)
        self.assertEqual(invoice.dunning_collector_id, self.collector)
        self.assertEqual(invoice.dunning_level_reached_id, self.levels[1])
        self.assertFalse(invoice.dunning_pause)
        not_due = self._invoice(100.0, days_late=-3)
        self.assertEqual(not_due.dunning_days_late, 0)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestInvoiceDunningPaused(CollectorCommon):
    def test_dispute_pauses_with_banner(self):
        invoice = self._invoice(500.0, days_late=20)
        dispute = (
            self.env["recouvrement.dispute"]
            .with_user(self.collector)
            .create({"move_id": invoice.id, "category": "quality"})
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.dunning_pause, "dispute")
        self.assertIn(dispute.name, invoice.dunning_pause_text)
        action = invoice.with_user(self.collector).action_open_dunning_pause()
        self.assertEqual((action["res_model"], action["res_id"]), ("recouvrement.dispute", dispute.id))
        arch = self._arch("account.move", "form", self.collector)
        self.assertTrue(arch.xpath("//div[@name='recouvrement_dunning_paused']"))

    def test_promise_leaves_a_trace_on_the_invoice(self):
        invoice = self._invoice(500.0, days_late=20)
        action = invoice.with_user(self.collector).action_record_promise()
        with Form(
            self.env["recouvrement.promise"].with_user(self.collector).with_context(**action["context"])
        ) as form:
            form.date = day(10)
        promise = form.save()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.promise_count, 1)
        self.assertEqual(invoice.dunning_pause, "promise")
        self.assertIn(format_date(self.env, day(10)), invoice.dunning_pause_text)
        self.assertIn(promise.move_line_ids.move_id, invoice)
        self.assertTrue(
            any(message.preview.startswith("Promise to pay") for message in invoice.message_ids),
            invoice.message_ids.mapped("preview"),
        )
        self.assertEqual(
            invoice.with_user(self.collector).action_view_promises()["domain"],
            [("move_line_ids.move_id", "=", invoice.id)],
        )
        arch = self._arch("account.move", "form", self.collector)
        self.assertTrue(arch.xpath("//button[@name='action_view_promises']"))
        self.assertFalse(self._run(TODAY), "the promise keeps the invoice out of the run")

    def test_exclusion_and_plan_pause(self):
        invoice = self._invoice(500.0, days_late=20)
        self.env["recouvrement.dunning.exclusion"].create(
            {"partner_id": self.customer.id, "reason": "Key account", "date_end": day(30)}
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.dunning_pause, "exclusion")
        self.assertIn("Key account", invoice.dunning_pause_text)
        expired = self._invoice(
            300.0, days_late=20, partner=self.env["res.partner"].create({"name": "Other"})
        )
        self.assertFalse(expired.dunning_pause)

    def test_open_dispute_asks_for_a_title_and_a_category(self):
        invoice = self._invoice(500.0, days_late=20)
        action = invoice.with_user(self.collector).action_open_dispute()
        form = Form(
            self.env["recouvrement.dispute"].with_user(self.collector).with_context(**action["context"])
        )
        self.assertFalse(form.category, "no silent 'Other': the collector chooses")
        with self.assertRaises(AssertionError):
            form.save()  # category is required
        form.category = "price"
        dispute = form.save()
        self.assertEqual(dispute.category, "price")
        arch = self._arch("recouvrement.dispute", "form", self.collector)
        self.assertTrue(arch.xpath("//span[@name='dispute_new_title']"), "a title instead of '/'")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCustomerBanner(CollectorCommon):
    def test_banner_and_key_figures(self):
        self.customer.credit_limit = 1000.0
        self._invoice(800.0, days_late=20)
        self._invoice(400.0, days_late=2)
        self._rule("over_limit", limit_percent=100, sale_effect="block")
        self._position()
        partner = self.customer.with_user(self.collector).with_context(lang="en_US")
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_status, "blocked")
        self.assertEqual(partner.credit_exposure, 1200.0)
        self.assertEqual(partner.credit_amount_overdue, 1200.0)
        self.assertIn("exposure", partner.credit_reasons)
        self.assertIn("for a limit of", partner.credit_summary)
        self.assertIn("120 %", partner.credit_summary)
        self.assertIn("oldest 20 days late", partner.credit_summary)
        self.env["recouvrement.dispute"].create(
            {"move_id": self.customer.invoice_ids[:1].id, "category": "price"}
        )
        partner.invalidate_recordset()
        self.assertIn("open disputes: 1", partner.credit_summary)
        arch = self._arch("res.partner", "form", self.collector)
        sheet = arch.xpath("//sheet")[0]
        banner = sheet.xpath(".//div[@name='recouvrement_credit_banner_blocked']")[0]
        button_box = sheet.xpath(".//div[@name='button_box']")[0]
        self.assertLess(list(sheet).index(banner), list(sheet).index(button_box), "at the top of the form")
        self.assertTrue(arch.xpath("//button[@name='action_open_credit_position']"))
        self.assertTrue(arch.xpath("//button[@name='action_view_overdue_invoices']"))
        action = partner.action_view_overdue_invoices()
        self.assertEqual(len(self.env["account.move"].search(action["domain"])), 2)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestListColumns(CollectorCommon):
    def test_credit_position_list(self):
        arch = self._arch(
            "recouvrement.credit.position",
            "list",
            self.collector,
            "recouvrement_credit.recouvrement_credit_position_action",
        )
        columns = {node.get("name"): node for node in arch.iter("field")}
        self.assertEqual(columns["limit_usage_rate"].get("widget"), "percentage")
        self.assertTrue(columns["partner_id"].get("width"), "customer names are not squeezed")
        self.assertTrue(columns["reasons"].get("width"), "the reasons do not take the whole width")
        self.customer.credit_limit = 1000.0
        self._invoice(1214.0, days_late=2)
        self.assertAlmostEqual(self._position().limit_usage_rate, 1.214)

    def test_company_columns_hidden_unless_multi_company(self):
        views = self.env["ir.ui.view"].search([("type", "=", "list"), ("model", "like", "recouvrement.%")])
        for view in views:
            for node in etree.fromstring(view.arch_db.encode()).iter("field"):
                if node.get("name") == "company_id" and node.get("column_invisible") is None:
                    self.assertEqual(node.get("groups"), "base.group_multi_company", view.name)
                    self.assertEqual(node.get("optional"), "hide", view.name)

    def test_document_exception_shows_no_amount(self):
        arch = self._arch("recouvrement.credit.exception", "list", self.collector)
        amount = arch.xpath("//field[@name='amount_max']")[0]
        self.assertEqual(amount.get("invisible"), "not amount_max")

    def test_reminders_to_review_totals(self):
        self._invoice(500.0, days_late=50)
        self._invoice(300.0, days_late=50, partner=self.env["res.partner"].create({"name": "Other"}))
        communications = self._run(TODAY)
        self.assertEqual(sorted(communications.mapped("amount_company")), [300.0, 500.0])
        # reminders created before the column existed get it back at the module's update
        self.env.cr.execute(
            SQL(
                "UPDATE recouvrement_dunning_communication SET amount_company = NULL WHERE id IN %s",
                tuple(communications.ids),
            )
        )
        self.communications.init()
        communications.invalidate_recordset(["amount_company"])
        self.assertEqual(sorted(communications.mapped("amount_company")), [300.0, 500.0])
        groups = self.communications._read_group(
            [("id", "in", communications.ids)], ["company_id"], ["max_days_late:max", "amount_company:sum"]
        )
        self.assertEqual(groups[0][1:], (50, 800.0))
        field = self.communications._fields["max_days_late"]
        self.assertEqual(field.aggregator, "max", "days late are never summed")
        arch = self._arch(
            "recouvrement.dunning.communication",
            "list",
            self.collector,
            "recouvrement_credit.recouvrement_dunning_communication_action_review",
        )
        columns = {node.get("name"): node for node in arch.iter("field")}
        self.assertTrue(columns["amount_company"].get("sum"))
        self.assertFalse(columns["amount_due"].get("sum"), "no total across currencies")
        self.assertTrue(columns["name"].get("width") and columns["state"].get("width"))
        self.assertTrue(arch.get("default_order").startswith("priority desc"))


@tagged("post_install", "-at_install")
class TestRunNowExplains(CollectorCommon):
    def _preview(self, when, user=None):
        with freeze_time(when):
            return self.env["recouvrement.dunning.preview"].with_user(user or self.collector).create({})

    def test_nothing_due_says_why(self):
        invoice = self._invoice(500.0, days_late=3)  # J+1 reached 2 days ago
        other = self.env["res.partner"].create({"name": "Disputed Ltd"})
        disputed = self._invoice(200.0, days_late=10, partner=other)
        self.env["recouvrement.dispute"].create({"move_id": disputed.id, "category": "price"})
        self._run(TODAY)
        with freeze_time(TODAY):
            values = (
                self.env["recouvrement.dunning.preview"]
                .with_user(self.collector)
                .default_get(["line_ids", "company_id", "date"])
            )
            preview = self.env["recouvrement.dunning.preview"].with_user(self.collector).new(values)
            self.assertFalse(preview.line_ids)
            self.assertEqual(preview.run_reminder_count, 1)
            expected = max(
                invoice.invoice_date_due + timedelta(days=7), day(self.levels[7].min_days_since_last)
            )
            self.assertEqual(preview.next_due_date, expected)
            self.assertEqual(preview.excluded_dispute_count, 1)
            explanation = preview.explanation
        self.assertIn("already been done", explanation)
        self.assertIn("1 open disputes", explanation)
        with freeze_time(TODAY):
            action = (
                self.env["recouvrement.dunning.preview"]
                .with_user(self.collector)
                .create({})
                .action_open_excluded_disputes()
            )
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]).move_id, disputed)
        arch = self._arch("recouvrement.dunning.preview", "form", self.collector)
        self.assertTrue(arch.xpath("//div[@name='nothing_due']"))

    def test_collector_runs_now_end_to_end(self):
        self._invoice(500.0, days_late=2)
        with freeze_time(day(0).strftime("%Y-%m-%d 08:00:00")):
            preview = self.env["recouvrement.dunning.preview"].with_user(self.collector).create({})
            self.assertEqual(len(preview.line_ids), 1)
            action = preview.action_run()
        communication = self.env["recouvrement.dunning.communication"].search(action["domain"])
        self.assertEqual(communication.partner_id, self.customer)
        self.assertEqual(communication.state, "sent", "the email went out at once")
        self.assertEqual(communication.dispatch_ids.recipient, "factures@boulangerie.example.com")
        self.assertEqual(communication.create_uid, self.collector, "done on the collector's behalf")

    def test_not_a_collector_cannot_run(self):
        from odoo.exceptions import AccessError

        with freeze_time(TODAY), self.assertRaises(AccessError):
            self.env["recouvrement.dunning.preview"].with_user(self.salesman).create({}).action_run()


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReminderWhatGoesOut(CollectorCommon):
    def test_recipients_and_job_before_sending(self):
        self._invoice(500.0, days_late=50)
        communication = self._run(TODAY).with_user(self.collector).with_context(lang="en_US")
        self.assertEqual(communication.state, "queued")
        email = communication.dispatch_ids.filtered(lambda d: d.channel == "email")
        self.assertFalse(email.recipient)
        self.assertEqual(email.recipient_display, "factures@boulangerie.example.com")
        self.assertIn("Queued: the sending job sends it on", communication.dispatch_summary)
        self.assertIn("factures@boulangerie.example.com", communication.dispatch_summary)

    def test_approve_and_send_previews_first(self):
        self._invoice(500.0, days_late=50)
        communication = self._run(day(0)).with_user(self.collector)
        review = self.communications
        for offset in range(5, 80, 5):
            review = self._run(day(offset)).filtered(lambda c: c.state == "to_review")
            if review:
                break
        review = review.with_user(self.collector)
        self.assertEqual(len(review), 1)
        self.assertIn("Waiting for approval", review.with_context(lang="en_US").dispatch_summary)
        action = review.action_preview_approve()
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["res_id"], review.id)
        view = self.env["ir.ui.view"].browse(action["views"][0][0])
        self.assertIn("action_approve", view.arch_db)
        self.assertEqual(review.state, "to_review", "nothing goes out before the approval")
        if review.level_id.channel_email:
            self.assertTrue(review.preview_body)
        self.assertTrue(communication)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFormalNoticeRule(CollectorCommon):
    def test_installed_rule_warns_orders_at_the_formal_notice(self):
        rule = self.env.ref("recouvrement_credit.credit_rule_formal_notice")
        formal_notice = self.standard.level_ids.filtered(lambda level: level.tone == "formal_notice")[:1]
        self.assertEqual(rule.condition, "dunning_level")
        self.assertEqual(rule.dunning_level, formal_notice.level, "the standard scenario's formal notice")
        self.assertEqual(rule.sale_effect, "warning")
        rule.active = True
        self._invoice(500.0, days_late=31)
        for offset in (0, 5, 10, 15):
            self._run(day(offset))
        with freeze_time(day(15)):
            position = self._position()
            self.assertEqual(position.dunning_level, 4)
            self.assertEqual(position.sale_effect, "warning")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestQuotationCreditMessage(CollectorCommon):
    def test_one_message_with_and_without_the_document(self):
        self.customer.credit_limit = 1000.0
        self._rule("over_limit", limit_percent=100, sale_effect="block")
        self._invoice(700.0, days_late=2)
        self._position()
        order = self._order(500.0).with_user(self.salesman).with_context(lang="en_US")
        self.assertFalse(order.partner_credit_warning, "stock Odoo's warning gives way to ours")
        self.assertTrue(order.credit_over_limit)
        self.assertIn("without this document", order.credit_exposure_info)
        self.assertIn("700.00", order.credit_exposure_info)
        self.assertIn("1,200.00", order.credit_exposure_info)

    def test_stock_warning_stays_without_our_control(self):
        self.customer.credit_limit = 1000.0
        self._invoice(700.0, days_late=2)
        self._position()
        order = self._order(500.0).with_user(self.salesman)
        self.assertTrue(order.partner_credit_warning, "no rule of ours on the exposure: Odoo's warning")
        self.assertFalse(order.credit_over_limit, "and not ours as well")

    def test_draft_invoice_one_message(self):
        self.customer.credit_limit = 1000.0
        self._rule("over_limit", limit_percent=100, sale_effect="block", invoice_effect="warning")
        self._invoice(1100.0, days_late=2)
        self._position()
        draft = self._invoice(300.0, post=False)
        self.assertEqual(draft.credit_status, "warning")
        self.assertFalse(draft.partner_credit_warning, "our banner only")
