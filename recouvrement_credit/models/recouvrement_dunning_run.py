import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .recouvrement_dunning_level import CHANNELS

_logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises the runs of one company (2nd key: company id).
RUN_LOCK_KEY = 74_211_601
CANDIDATES = "recouvrement_dunning_candidates"
REMINDERS = "recouvrement_dunning_reminders"


class RecouvrementDunningRun(models.Model):
    """The dunning run of one company for one day (relances du jour).

    The unit of work is the open receivable item (a due date of a posted customer invoice): each item
    moves to the next level of its customer's scenario when it is late enough and its previous
    reminder old enough. Items are then grouped into one reminder per customer and currency, whose
    tone and channels are those of the highest level among its items.

    Everything is SQL over indexed columns, in batches of customers: a run stopped half-way resumes
    where it stopped (an item reminded today is never selected again the same day), and a lock per
    company keeps two runs from sending the same reminders.

    Hooks: ``_get_item_exclusions`` (conditions keeping an item out), ``_get_escalation_sql``
    (items escalated without waiting), ``_prepare_run`` (what is brought up to date first),
    ``_run_scheduled_batch`` (what the scheduled action does with each company's batch).

    Memory stays bounded whatever the ledger's size: the items and the reminders of a run live in
    two temporary tables, never in Python lists or recordsets; what runs per reminder afterwards
    (``_on_queued``) reads them ``_POST_BATCH`` at a time.
    """

    _name = "recouvrement.dunning.run"
    _inherit = ["recouvrement.xlsx.export.mixin"]
    _description = "Dunning run"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", required=True, readonly=True
    )
    communication_ids = fields.One2many(
        "recouvrement.dunning.communication", "run_id", "Reminders Created", readonly=True
    )
    communication_count = fields.Integer("Reminders", compute="_compute_counts")
    item_count = fields.Integer("Items Reminded", readonly=True)
    skipped_tolerance_count = fields.Integer(
        "Below Tolerance", readonly=True, help="Customers whose amount due is below the company's tolerance."
    )
    skipped_contact_cap_count = fields.Integer(
        "Contact Limit Reached",
        readonly=True,
        help="Customers already contacted as often as the company allows.",
    )

    _sql_constraints = [
        ("company_date_unique", "UNIQUE(company_id, date)", "There is one dunning run per company and day."),
    ]

    # Reminders processed at a time after the bulk inserts (``_on_queued``): bounds the record cache.
    _POST_BATCH = 1000
    # Above so many customers reminded in one call, their credit positions are marked stale for the
    # refresh job instead of being refreshed when the transaction commits (the daily job's batches
    # stay below it): a run of the whole ledger would otherwise hold its transaction open while
    # 100,000 positions are refreshed.
    _REFRESH_AT_COMMIT_MAX = 5000
    # Planner settings for the run's statements, for its transaction only: JIT compilation costs a
    # second per statement (the items' lateral joins are estimated expensive) and saves nothing on
    # these index lookups; the grouping of a million items sorts in memory instead of on disk.
    _SQL_SETTINGS = {"jit": "off", "work_mem": "64MB"}

    @api.depends("company_id", "date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = (
                self.env._("Dunning run of %(date)s", date=format_date(self.env, run.date))
                if run.date
                else ""
            )

    def _compute_counts(self):
        counts = dict(
            self.env["recouvrement.dunning.communication"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.communication_count = counts.get(run, 0)

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_communications(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_credit.recouvrement_dunning_communication_action"
        )
        action["domain"] = [("run_id", "in", self.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _get_xlsx_export_records(self):
        """A run's export lists its reminders (who got what, at which level, through which channel)."""
        return self.communication_ids

    @api.model
    def _get_or_create(self, company, date):
        run = self.search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        return run or self.create({"company_id": company.id, "date": date})

    @api.model
    def _cron_run(self, batch_size=1000):
        """Daily job: every company's run, BATCH_SIZE customers per call; the job calls again (each call
        committed) until nothing is left, so a killed run resumes with the next call."""
        today = fields.Date.context_today(self)
        done = remaining = 0
        scenarios = self.env["recouvrement.dunning.scenario"]
        for company in self.env["res.company"].search([]):
            if not scenarios._company_has_scenario(company):
                _logger.info("Dunning run of %s skipped: the company has no dunning scenario.", company.name)
                continue
            run = self.with_company(company)._get_or_create(company, today)
            batch_done, batch_remaining = run._run_scheduled_batch(batch_size)
            done += batch_done
            remaining += batch_remaining
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        self.env.ref("recouvrement_credit.ir_cron_dunning_dispatch")._trigger()

    def _run_scheduled_batch(self, batch_size):
        """One call of the scheduled run for this run's company: at most BATCH_SIZE customers.

        Extension hook: the queue_job bridge (``recouvrement_credit_queue``) enqueues the batch as a
        job instead and returns (0, 0), so the scheduled action ends at once.

        :return: (customers reminded, customers left for the next call)
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._generate(limit=batch_size)
        except UserError as error:  # e.g. another run holds the company's lock and does the work
            _logger.info("Dunning run of %s skipped: %s", self.company_id.name, error)
            return 0, 0

    def _generate(self, limit=None):
        """Create today's reminders for at most LIMIT customers (all when None).

        :return: (customers reminded, customers left for the next batch)
        """
        self.ensure_one()
        self._check_scenario()
        self._lock()
        self._prepare_run()
        previous_settings = self._set_sql_settings(self._SQL_SETTINGS)
        self._select_candidates()
        remaining, below, capped = self._filter_candidates(limit)
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(CANDIDATES)))  # no autovacuum on temp tables
        self.write(
            {
                "skipped_tolerance_count": max(below, self.skipped_tolerance_count),
                "skipped_contact_cap_count": max(capped, self.skipped_contact_cap_count),
            }
        )
        customers = self._insert_communications()
        if customers:
            self._insert_lines()
            self._insert_dispatches()
            self._advance_items()
        self._set_sql_settings(previous_settings)
        self._invalidate_dunning_caches()
        if customers:
            self._refresh_credit_positions(customers)
            self._process_queued()
        self.env.cr.execute(SQL("DROP TABLE %s, %s", SQL.identifier(CANDIDATES), SQL.identifier(REMINDERS)))
        if not remaining:
            self.state = "done"
        return customers, remaining

    def _preview(self):
        """What the run would send now, without sending or changing anything: one dict per reminder."""
        self.ensure_one()
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._select_candidates()
            self._filter_candidates(None)
            self.env.cr.execute(
                SQL(
                    "SELECT * FROM (%s) reminder ORDER BY partner_id, currency_id",
                    self._get_reminders_sql(),
                )
            )
            rows = self.env.cr.dictfetchall()
            savepoint.rollback()
        return rows

    # ------------------------------------------------------------------
    # Steps of _generate (in order)
    # ------------------------------------------------------------------

    def _check_scenario(self):
        """Refuse a run for a company whose customers follow no scenario: it could only be empty."""
        if not self.env["recouvrement.dunning.scenario"]._company_has_scenario(self.company_id):
            raise UserError(
                self.env._(
                    "%(company)s has no dunning scenario: choose a default one in the settings (Invoicing, "
                    "Dunning section), or give customers a scenario of their own, before running the "
                    "dunning.",
                    company=self.company_id.name,
                )
            )

    def _lock(self):
        """Take the company's run lock for this transaction, or refuse: two runs never overlap."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RUN_LOCK_KEY, self.company_id.id))
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "A dunning run is already in progress for %s: try again when it is over.",
                    self.company_id.name,
                )
            )

    def _prepare_run(self):
        """Bring what the exclusions read up to date: promises kept or broken, payment plans done or
        broken as of the run's date. Hook: extend for other commitments."""
        self.env["recouvrement.promise"]._update_states(self.date)
        self.env["recouvrement.payment.plan"]._update_states(self.date)

    def _select_candidates(self):
        """Fill a temporary table with every item due for its next level today, and that level."""
        self.env.flush_all()
        scenario = self.env["recouvrement.dunning.scenario"]._get_scenario_sql(self.company_id, SQL("cp"))
        self.env.cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE %(table)s ON COMMIT DROP AS
                SELECT aml.id AS move_line_id, aml.move_id, cp.id AS partner_id, aml.currency_id,
                       aml.amount_residual_currency AS amount_residual, aml.amount_residual AS amount_company,
                       aml.date_maturity, %(date)s - aml.date_maturity AS days_late,
                       aml.dunning_level_id AS previous_level_id, aml.dunning_date AS previous_dunning_date,
                       next_level.id AS level_id
                  FROM %(items)s
            CROSS JOIN LATERAL (
                        SELECT level.id, level.min_days_since_last
                          FROM recouvrement_dunning_level level
                         WHERE level.scenario_id = %(scenario)s
                           AND level.day_offset <= %(date)s - aml.date_maturity
                           AND (current_level.id IS NULL OR level.day_offset > current_level.day_offset)
                           AND (level.day_offset > 0 OR aml.date_maturity >= %(date)s)
                      ORDER BY level.day_offset
                         LIMIT 1
                       ) next_level
                 WHERE %(conditions)s
                   AND (aml.dunning_date IS NULL OR aml.dunning_date < %(date)s)
                   AND (aml.dunning_date IS NULL
                        OR %(date)s - aml.dunning_date >= next_level.min_days_since_last
                        OR %(escalated)s)
                """,
                table=SQL.identifier(CANDIDATES),
                date=self.date,
                scenario=scenario,
                escalated=self._get_escalation_sql(),
                items=self._get_items_from(),
                conditions=self._get_items_conditions(),
            )
        )

    def _get_items_from(self):
        """FROM of the items the run chases: ``aml`` (the item), ``move``, ``account``, ``cp`` (its
        commercial customer) and ``current_level`` (the level it has reached)."""
        return SQL(
            """account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN res_partner rp ON rp.id = aml.partner_id
                  JOIN res_partner cp ON cp.id = rp.commercial_partner_id
             LEFT JOIN recouvrement_dunning_level current_level ON current_level.id = aml.dunning_level_id"""
        )

    def _get_items_conditions(self):
        """WHERE of the items the run chases: the company's open customer invoices that no
        exclusion (``_get_item_exclusions``) leaves out."""
        return SQL(
            """aml.company_id = %(company)s
                   AND %(open_item)s
                   AND aml.amount_residual > 0
                   AND move.move_type IN ('out_invoice', 'out_receipt')
                   AND NOT (%(excluded)s)""",
            company=self.company_id.id,
            open_item=self.env["account.move.line"]._get_open_receivable_sql(),
            excluded=SQL(" OR ").join(self._get_item_exclusions()) or SQL("FALSE"),
        )

    def _get_item_exclusions(self):
        """Hook: SQL conditions (on ``aml``, the item, and ``cp``, its commercial customer) that keep
        an item out of the run. Extend the list to add one."""
        return [
            SQL(
                """EXISTS (SELECT 1 FROM recouvrement_dunning_exclusion exclusion
                            WHERE exclusion.active AND exclusion.company_id = %(company)s
                              AND exclusion.partner_id = cp.id
                              AND (exclusion.move_id IS NULL OR exclusion.move_id = aml.move_id)
                              AND (exclusion.date_end IS NULL OR exclusion.date_end >= %(date)s))""",
                company=self.company_id.id,
                date=self.date,
            ),
            # under dispute (litige)
            SQL(
                "EXISTS (SELECT 1 FROM recouvrement_dispute dispute"
                " WHERE dispute.move_id = aml.move_id AND dispute.state = 'open')"
            ),
            # covered by a promise to pay until its date + grace
            SQL(
                """EXISTS (SELECT 1 FROM recouvrement_promise_move_line_rel rel
                             JOIN recouvrement_promise promise ON promise.id = rel.promise_id
                            WHERE rel.move_line_id = aml.id AND promise.state = 'open'
                              AND promise.date_grace_end >= %s)""",
                self.date,
            ),
            # part of an active payment plan (échéancier): its own instalments and grace apply
            SQL(
                """EXISTS (SELECT 1 FROM recouvrement_payment_plan_move_line_rel rel
                             JOIN recouvrement_payment_plan plan ON plan.id = rel.plan_id
                            WHERE rel.move_line_id = aml.id AND plan.state = 'active')"""
            ),
        ]

    def _get_escalation_sql(self):
        """SQL condition on ``aml`` for items that move to their next level without waiting the
        level's minimum days: those of a promise to pay broken since their last reminder. Hook."""
        return SQL(
            """EXISTS (SELECT 1 FROM recouvrement_promise_move_line_rel rel
                         JOIN recouvrement_promise promise ON promise.id = rel.promise_id
                        WHERE rel.move_line_id = aml.id AND promise.state = 'broken'
                          AND promise.date_broken > COALESCE(aml.dunning_date, '1900-01-01'::date))"""
        )

    def _filter_candidates(self, limit):
        """Drop customers below the tolerance or at their contact limit; keep LIMIT customers.
        Returns the customers left for later batches, and those dropped for each reason."""
        company = self.company_id
        table = SQL.identifier(CANDIDATES)
        self.env.cr.execute(
            SQL(
                """
                WITH below AS (
                    SELECT partner_id FROM %(table)s
                  GROUP BY partner_id HAVING SUM(amount_company) < %(tolerance)s
                ), capped AS (
                    SELECT c.partner_id
                      FROM (SELECT DISTINCT partner_id FROM %(table)s) c
                     WHERE %(cap)s > 0 AND %(cap)s <= (
                           SELECT COUNT(*) FROM recouvrement_dunning_communication comm
                            WHERE comm.partner_id = c.partner_id AND comm.company_id = %(company)s
                              AND comm.state != 'cancelled' AND comm.date > %(window_start)s)
                ), dropped AS (
                    DELETE FROM %(table)s c
                     WHERE c.partner_id IN (SELECT partner_id FROM below UNION SELECT partner_id FROM capped)
                 RETURNING c.partner_id
                )
                SELECT (SELECT COUNT(*) FROM below),
                       (SELECT COUNT(*) FROM capped WHERE partner_id NOT IN (SELECT partner_id FROM below))
                """,
                table=table,
                tolerance=company.dunning_tolerance_amount,
                cap=company.dunning_contact_cap,
                company=company.id,
                window_start=fields.Date.subtract(self.date, days=company.dunning_contact_window_days),
            )
        )
        below, capped = self.env.cr.fetchone()
        remaining = 0
        if limit:
            self.env.cr.execute(
                SQL(
                    """
                    WITH partners AS (
                        SELECT partner_id, ROW_NUMBER() OVER (ORDER BY partner_id) AS rank
                          FROM (SELECT DISTINCT partner_id FROM %(table)s) p
                    ), later AS (
                        DELETE FROM %(table)s c USING partners
                         WHERE partners.partner_id = c.partner_id AND partners.rank > %(limit)s
                     RETURNING c.partner_id
                    )
                    SELECT COUNT(DISTINCT partner_id) FROM later
                    """,
                    table=table,
                    limit=limit,
                )
            )
            remaining = self.env.cr.fetchone()[0]
        return remaining, below, capped

    def _insert_communications(self):
        """One reminder per customer and currency, at the highest level among its items: computed
        into a temporary table (read by the next steps instead of a list of ids), then inserted.
        Returns the number of customers reminded."""
        company = self.company_id
        high, medium = self._get_priority_thresholds()
        self.env.cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE %(reminders)s ON COMMIT DROP AS
                WITH grouped AS (%(grouped)s), numbered AS (
                    SELECT NEXTVAL('recouvrement_dunning_communication_id_seq') AS id, grouped.*
                      FROM grouped
                  ORDER BY partner_id, currency_id
                ), credit AS (
                    SELECT numbered.id, -SUM(aml.amount_residual_currency) AS amount
                      FROM numbered
                      JOIN res_partner rp ON rp.commercial_partner_id = numbered.partner_id
                      JOIN account_move_line aml
                        ON aml.partner_id = rp.id AND aml.company_id = %(company)s
                       AND aml.currency_id = numbered.currency_id
                      JOIN account_account account ON account.id = aml.account_id
                     WHERE %(open_item)s AND aml.amount_residual < 0
                  GROUP BY numbered.id
                )
                SELECT n.id, n.partner_id, n.currency_id, n.level_id, n.max_days_late,
                       n.amount_due, n.amount_company,
                       (SELECT contact.id FROM res_partner contact
                         WHERE contact.parent_id = n.partner_id AND contact.type = 'invoice'
                           AND contact.active
                      ORDER BY contact.id LIMIT 1) AS contact_id,
                       level.scenario_id,
                       CASE WHEN level.review_required THEN 'to_review' ELSE 'queued' END AS state,
                       COALESCE(credit.amount, 0) AS amount_credit,
                       COALESCE(credit.amount, 0) >= n.amount_due AS credit_covers,
                       n.amount_company * GREATEST(n.max_days_late, 0) AS priority_score,
                       CASE WHEN n.amount_company * GREATEST(n.max_days_late, 0) >= %(high)s THEN '2'
                            WHEN n.amount_company * GREATEST(n.max_days_late, 0) >= %(medium)s THEN '1'
                            ELSE '0' END AS priority,
                       COALESCE((cp.dunning_collector_id ->> %(company_key)s)::int, %(manager)s) AS user_id
                  FROM numbered n
                  JOIN recouvrement_dunning_level level ON level.id = n.level_id
                  JOIN res_partner cp ON cp.id = n.partner_id
             LEFT JOIN credit ON credit.id = n.id
                """,
                reminders=SQL.identifier(REMINDERS),
                grouped=self._get_reminders_sql(),
                open_item=self.env["account.move.line"]._get_open_receivable_sql(),
                company=company.id,
                company_key=str(company.id),
                manager=company.credit_manager_id.id or None,
                high=high,
                medium=medium,
            )
        )
        if not self.env.cr.rowcount:
            return 0
        # read by id ranges afterwards (``_process_queued``); no autovacuum on temporary tables
        self.env.cr.execute(SQL("CREATE INDEX ON %s (id)", SQL.identifier(REMINDERS)))
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(REMINDERS)))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO recouvrement_dunning_communication (
                    id, name, run_id, date, partner_id, contact_id, company_id, currency_id, scenario_id,
                    level_id, state, amount_due, amount_company, amount_credit, credit_covers, max_days_late,
                    priority_score, priority, user_id, create_uid, create_date, write_uid, write_date)
                SELECT r.id, %(name)s, %(run)s, %(date)s, r.partner_id, r.contact_id, %(company)s,
                       r.currency_id, r.scenario_id, r.level_id, r.state, r.amount_due, r.amount_company,
                       r.amount_credit, r.credit_covers, r.max_days_late, r.priority_score, r.priority,
                       r.user_id, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM %(reminders)s r
              ORDER BY r.id
                """,
                reminders=SQL.identifier(REMINDERS),
                name=self.env["recouvrement.dunning.communication"]._get_name_sql(
                    SQL("%s::date", self.date), SQL("r.id")
                ),
                company=company.id,
                date=self.date,
                run=self.id,
                uid=self.env.uid,
            )
        )
        self.env.cr.execute(SQL("SELECT COUNT(DISTINCT partner_id) FROM %s", SQL.identifier(REMINDERS)))
        return self.env.cr.fetchone()[0]

    def _get_reminders_sql(self):
        """The reminders the candidates make: one per customer and currency, at the highest level
        among its items, with their amounts, count and days late. Both the preview and the run
        read it."""
        return SQL(
            """
            SELECT c.partner_id, c.currency_id, COUNT(*) AS item_count,
                   SUM(c.amount_residual) AS amount_due, SUM(c.amount_company) AS amount_company,
                   MAX(c.days_late) AS max_days_late,
                   (ARRAY_AGG(c.level_id ORDER BY level.day_offset DESC))[1] AS level_id
              FROM %s c
              JOIN recouvrement_dunning_level level ON level.id = c.level_id
          GROUP BY c.partner_id, c.currency_id
            """,
            SQL.identifier(CANDIDATES),
        )

    def _get_priority_thresholds(self):
        """Hook: (high, medium) thresholds of amount due × days late for the collectors' priorities."""
        return 50_000.0, 5_000.0

    def _insert_lines(self):
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO recouvrement_dunning_communication_line (
                    communication_id, company_id, move_line_id, move_id, date_maturity, days_late,
                    amount_residual, level_id, advanced, previous_level_id, previous_dunning_date,
                    create_uid, create_date, write_uid, write_date)
                SELECT r.id, %(company)s, c.move_line_id, c.move_id, c.date_maturity, c.days_late,
                       c.amount_residual, c.level_id, NOT r.credit_covers, c.previous_level_id,
                       c.previous_dunning_date,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM %(candidates)s c
                  JOIN %(reminders)s r ON r.partner_id = c.partner_id AND r.currency_id = c.currency_id
              ORDER BY r.id, c.date_maturity, c.move_line_id
                """,
                candidates=SQL.identifier(CANDIDATES),
                reminders=SQL.identifier(REMINDERS),
                company=self.company_id.id,
                uid=self.env.uid,
            )
        )
        self.item_count += self.env.cr.rowcount

    def _insert_dispatches(self):
        """One channel record per channel of the reminder's level, queued."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO recouvrement_dunning_dispatch (
                    communication_id, company_id, user_id, priority, channel, state,
                    create_uid, create_date, write_uid, write_date)
                SELECT r.id, %(company)s, r.user_id, r.priority, channel.name, 'queued',
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM %(reminders)s r
                  JOIN recouvrement_dunning_level level ON level.id = r.level_id
            CROSS JOIN LATERAL (VALUES %(channels)s) AS channel(rank, name, enabled)
                 WHERE channel.enabled
              ORDER BY r.id, channel.rank
                """,
                reminders=SQL.identifier(REMINDERS),
                channels=SQL(", ").join(
                    SQL("(%s, %s, %s)", rank, channel, SQL.identifier("level", field))
                    for rank, (channel, field) in enumerate(CHANNELS.items(), start=1)
                ),
                company=self.company_id.id,
                uid=self.env.uid,
            )
        )

    def _advance_items(self):
        """Record on each item its new level (unless the customer's credit covered it) and today's
        date; in the order of the items' ids, the order of the table, which keeps the pages each
        update reads and writes close together."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move_line aml
                   SET dunning_level_id = CASE WHEN item.advanced THEN item.level_id
                                               ELSE aml.dunning_level_id END,
                       dunning_date = %(date)s
                  FROM (SELECT c.move_line_id, c.level_id, NOT r.credit_covers AS advanced
                          FROM %(candidates)s c
                          JOIN %(reminders)s r
                            ON r.partner_id = c.partner_id AND r.currency_id = c.currency_id
                      ORDER BY c.move_line_id) item
                 WHERE aml.id = item.move_line_id
                """,
                candidates=SQL.identifier(CANDIDATES),
                reminders=SQL.identifier(REMINDERS),
                date=self.date,
            )
        )

    def _refresh_credit_positions(self, customers):
        """The reminded customers' positions read their items' levels: refreshed when the
        transaction commits, or, for more than ``_REFRESH_AT_COMMIT_MAX`` CUSTOMERS, marked stale
        for the refresh job (a decision refreshes a stale position first)."""
        positions = self.env["recouvrement.credit.position"]
        if self.env.context.get("recouvrement_skip_credit_refresh"):
            return
        self.env.cr.execute(SQL("SELECT DISTINCT partner_id FROM %s", SQL.identifier(REMINDERS)))
        if customers <= self._REFRESH_AT_COMMIT_MAX:
            partner_ids = [row[0] for row in self.env.cr.fetchall()]
            positions._mark_for_refresh(self.env["res.partner"].browse(partner_ids))
            return
        positions.flush_model(["refresh_date"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE recouvrement_credit_position pos SET refresh_date = NULL
                  FROM (SELECT DISTINCT partner_id FROM %(reminders)s) r
                 WHERE pos.partner_id = r.partner_id
                """,
                reminders=SQL.identifier(REMINDERS),
            )
        )
        positions.invalidate_model(["refresh_date"])
        self.env.ref("recouvrement_credit.ir_cron_refresh_credit_positions").sudo()._trigger()

    def _process_queued(self):
        """What reaching a level triggers (``_on_queued``) for the queued reminders, ``_POST_BATCH``
        at a time: the record cache is emptied between batches."""
        communications = self.env["recouvrement.dunning.communication"]
        last_id = 0
        while True:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE state = 'queued' AND id > %s ORDER BY id LIMIT %s",
                    SQL.identifier(REMINDERS),
                    last_id,
                    self._POST_BATCH,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                return
            communications.browse(ids)._on_queued()
            self.env.flush_all()
            self.env.invalidate_all()
            last_id = ids[-1]

    def _set_sql_settings(self, settings):
        """Set PostgreSQL SETTINGS {name: value} for the rest of the transaction (``SET LOCAL``:
        a rollback undoes them too); return the values they had."""
        previous = {}
        for name, value in settings.items():
            self.env.cr.execute(SQL("SELECT current_setting(%s)", name))
            previous[name] = self.env.cr.fetchone()[0]
            self.env.cr.execute(SQL("SELECT set_config(%s, %s, true)", name, value))
        return previous

    def _invalidate_dunning_caches(self):
        """The inserts and updates above bypassed the ORM: drop every cached value they may change
        (items, reminders and the one2many fields of invoices, customers and runs)."""
        self.env.invalidate_all()
