from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, format_date

# What keeps overdue invoices out of today's run (each has its own list, see _get_excluded_model).
EXCLUDED_KINDS = ("dispute", "promise", "plan", "exclusion")


class RecouvrementDunningPreview(models.TransientModel):
    """ "Run now": shows what today's run would send, to whom, at which level and for which amounts,
    then runs it when confirmed."""

    _name = "recouvrement.dunning.preview"
    _description = "Dunning run preview"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    line_ids = fields.One2many("recouvrement.dunning.preview.line", "preview_id", "Reminders to Send")
    amount_total = fields.Monetary(compute="_compute_totals", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    reminder_count = fields.Integer(compute="_compute_totals")

    # Why nothing (or less than expected) is due today: filled with the lines, see _prepare_explanation
    run_id = fields.Many2one("recouvrement.dunning.run", "Today's Run", readonly=True)
    run_reminder_count = fields.Integer("Reminders Already Created Today", readonly=True)
    next_due_date = fields.Date("Next Items Due On", readonly=True)
    excluded_dispute_count = fields.Integer("Invoices under Dispute", readonly=True)
    excluded_promise_count = fields.Integer("Promises to Pay Running", readonly=True)
    excluded_plan_count = fields.Integer("Active Payment Plans", readonly=True)
    excluded_exclusion_count = fields.Integer("Dunning Exclusions", readonly=True)
    skipped_tolerance_count = fields.Integer("Customers below the Tolerance", readonly=True)
    skipped_contact_cap_count = fields.Integer("Customers at Their Contact Limit", readonly=True)
    explanation = fields.Text(compute="_compute_explanation")

    @api.depends("line_ids.amount_company")
    def _compute_totals(self):
        for preview in self:
            preview.amount_total = sum(preview.line_ids.mapped("amount_company"))
            preview.reminder_count = len(preview.line_ids)

    @api.depends(
        "line_ids",
        "run_reminder_count",
        "next_due_date",
        "skipped_tolerance_count",
        "skipped_contact_cap_count",
        *(f"excluded_{kind}_count" for kind in EXCLUDED_KINDS),
    )
    @api.depends_context("lang")
    def _compute_explanation(self):
        for preview in self:
            preview.explanation = preview._get_explanation()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            date = values.get("date") or fields.Date.context_today(self)
            values["line_ids"] = [Command.create(line) for line in self._prepare_lines(company, date)]
            values.update(self._prepare_explanation(company, date))
        return values

    @api.model
    def _prepare_explanation(self, company, date):
        """The facts that say why today's run sends what it sends (or nothing): today's run already
        done, the date the next items fall due, the overdue invoices left out and why."""
        run = self.env["recouvrement.dunning.run"].search(
            [("company_id", "=", company.id), ("date", "=", date)], limit=1
        )
        values = {
            "run_id": run.id,
            "run_reminder_count": run.communication_count,
            "next_due_date": self._get_next_due_date(company, date),
        }
        for kind in EXCLUDED_KINDS:
            values[f"excluded_{kind}_count"] = self.env[self._get_excluded_model(kind)].search_count(
                self._get_excluded_domain(kind, company, date)
            )
        values["skipped_tolerance_count"], values["skipped_contact_cap_count"] = self._get_skipped(
            company, date
        )
        return values

    @api.model
    def _prepare_lines(self, company, date):
        """One line per reminder today's run would send: what the run's own preview returns."""
        run = self.env["recouvrement.dunning.run"].new({"company_id": company.id, "date": date})
        run._check_scenario()
        rows = run._preview()
        levels = self.env["recouvrement.dunning.level"].browse({row["level_id"] for row in rows})
        labels = dict(
            self.env["recouvrement.dunning.dispatch"]._fields["channel"]._description_selection(self.env)
        )
        return [
            {
                "partner_id": row["partner_id"],
                "currency_id": row["currency_id"],
                "level_id": row["level_id"],
                "channels": ", ".join(
                    labels[channel] for channel in levels.browse(row["level_id"])._get_channels()
                ),
                "item_count": row["item_count"],
                "amount_due": row["amount_due"],
                "amount_company": row["amount_company"],
                "max_days_late": row["max_days_late"],
            }
            for row in rows
        ]

    @api.model
    def _get_skipped(self, company, date):
        """(customers below the tolerance, customers at their contact limit) in today's run."""
        run = self.env["recouvrement.dunning.run"].new({"company_id": company.id, "date": date})
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False) as savepoint:
            run._select_candidates()
            _remaining, below, capped = run._filter_candidates(None)
            savepoint.rollback()
        return below, capped

    @api.model
    def _get_next_due_date(self, company, date):
        """The first day after DATE on which an open item, not left out, reaches its next level."""
        run = self.env["recouvrement.dunning.run"].new({"company_id": company.id, "date": date})
        self.env.flush_all()
        scenario = self.env["recouvrement.dunning.scenario"]._get_scenario_sql(company, SQL("cp"))
        self.env.cr.execute(
            SQL(
                """
                SELECT MIN(GREATEST(aml.date_maturity + next_level.day_offset,
                                    COALESCE(aml.dunning_date + next_level.min_days_since_last,
                                             %(tomorrow)s),
                                    %(tomorrow)s))
                  FROM %(items)s
            CROSS JOIN LATERAL (
                        SELECT level.day_offset, level.min_days_since_last
                          FROM recouvrement_dunning_level level
                         WHERE level.scenario_id = %(scenario)s
                           AND (current_level.id IS NULL OR level.day_offset > current_level.day_offset)
                           AND (level.day_offset > 0 OR aml.date_maturity > %(date)s)
                      ORDER BY level.day_offset
                         LIMIT 1
                       ) next_level
                 WHERE %(conditions)s
                """,
                tomorrow=fields.Date.add(date, days=1),
                date=date,
                scenario=scenario,
                items=run._get_items_from(),
                conditions=run._get_items_conditions(),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _get_excluded_model(self, kind):
        return {
            "dispute": "recouvrement.dispute",
            "promise": "recouvrement.promise",
            "plan": "recouvrement.payment.plan",
            "exclusion": "recouvrement.dunning.exclusion",
        }[kind]

    @api.model
    def _get_excluded_domain(self, kind, company, date):
        """The records of KIND that keep overdue items of COMPANY out of the run of DATE."""
        company_domain = [("company_id", "=", company.id)]
        if kind == "dispute":
            return [
                *company_domain,
                ("state", "=", "open"),
                ("move_id.payment_state", "in", ("not_paid", "partial")),
            ]
        if kind == "promise":
            # the run's own rule: open until the promised date plus the grace days
            return [*company_domain, ("state", "=", "open")]
        if kind == "plan":
            return [*company_domain, ("state", "=", "active")]
        return [*company_domain, "|", ("date_end", "=", False), ("date_end", ">=", date)]

    def _get_explanation(self):
        """Why today's run sends nothing, in plain words (False when it sends something)."""
        self.ensure_one()
        if self.line_ids:
            return False
        _ = self.env._
        sentences = []
        if self.run_reminder_count:
            sentences.append(
                _(
                    "Today's run has already been done: it created %(count)s reminders.",
                    count=self.run_reminder_count,
                )
            )
        else:
            sentences.append(_("No item reaches its next dunning level today."))
        if self.next_due_date:
            sentences.append(
                _("The next items fall due on %(date)s.", date=format_date(self.env, self.next_due_date))
            )
        else:
            sentences.append(_("No open item will fall due for a reminder."))
        left_out = [
            (self.excluded_dispute_count, _("%(count)s open disputes", count=self.excluded_dispute_count)),
            (self.excluded_promise_count, _("%(count)s promises to pay", count=self.excluded_promise_count)),
            (self.excluded_plan_count, _("%(count)s payment plans", count=self.excluded_plan_count)),
            (self.excluded_exclusion_count, _("%(count)s exclusions", count=self.excluded_exclusion_count)),
            (
                self.skipped_tolerance_count,
                _("%(count)s customers below the tolerance", count=self.skipped_tolerance_count),
            ),
            (
                self.skipped_contact_cap_count,
                _("%(count)s customers at their contact limit", count=self.skipped_contact_cap_count),
            ),
        ]
        parts = [text for count, text in left_out if count]
        if parts:
            sentences.append(_("Left out: %(reasons)s.", reasons=", ".join(parts)))
        return " ".join(sentences)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_run(self):
        """Run today's dunning for the company, then send what does not wait for a review.

        Collectors run dunning but only read runs and items: the run's writes (runs, reminders,
        items' levels) are done on their behalf once their group is checked."""
        self.ensure_one()
        if not self.env.user.has_group("recouvrement_credit.group_user"):
            raise AccessError(self.env._("Only collectors and credit managers may run the dunning."))
        self.check_access("write")
        # sudo: the run writes system records (runs, reminders, items' levels) on the collector's behalf
        run_sudo = self.env["recouvrement.dunning.run"].sudo()._get_or_create(self.company_id, self.date)
        run_sudo._generate()
        run_sudo.communication_ids.filtered(lambda c: c.state == "queued").dispatch_ids._send()
        return run_sudo.sudo(False).action_open_communications()

    def _action_open_excluded(self, kind):
        self.ensure_one()
        model = self._get_excluded_model(kind)
        return {
            "type": "ir.actions.act_window",
            "name": self._fields[f"excluded_{kind}_count"].get_description(self.env)["string"],
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._get_excluded_domain(kind, self.company_id, self.date),
            "target": "current",
        }

    def action_open_excluded_disputes(self):
        return self._action_open_excluded("dispute")

    def action_open_excluded_promises(self):
        return self._action_open_excluded("promise")

    def action_open_excluded_plans(self):
        return self._action_open_excluded("plan")

    def action_open_excluded_exclusions(self):
        return self._action_open_excluded("exclusion")

    def action_open_run(self):
        """Today's reminders (the form's readonly facts are not saved: read the run again)."""
        self.ensure_one()
        run = self.env["recouvrement.dunning.run"].search(
            [("company_id", "=", self.company_id.id), ("date", "=", self.date)], limit=1
        )
        return run.action_open_communications()


class RecouvrementDunningPreviewLine(models.TransientModel):
    _name = "recouvrement.dunning.preview.line"
    _description = "Dunning run preview line"

    preview_id = fields.Many2one("recouvrement.dunning.preview", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    level_id = fields.Many2one("recouvrement.dunning.level", readonly=True)
    review_required = fields.Boolean(related="level_id.review_required")
    channels = fields.Char(readonly=True)
    item_count = fields.Integer("Items", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    amount_company = fields.Float(readonly=True)
    max_days_late = fields.Integer("Days Late", readonly=True)
