"""A customer's credit position (encours) in one company, kept in a table so that lists, searches,
pivots and graphs by status compute nothing at read time.

Rows are refreshed by SQL aggregates (``_refresh``) at the end of every transaction that changed
their sources (invoices, payments, orders, limits: see ``_mark_for_refresh``), by a daily scheduled
action for what time alone changes (days overdue), and again right before any blocking decision
(``_get_decision``), so that a decision never rests on a stale row.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)

EFFECTS = [("none", "None"), ("warning", "Warning"), ("block", "Block")]
EFFECT_RANK = {"none": 0, "warning": 1, "block": 2}
# The risk grades, from best to worst: the one definition every grade field reads.
RISK_GRADES = [
    ("A", "A – Excellent"),
    ("B", "B – Good"),
    ("C", "C – Fair"),
    ("D", "D – Poor"),
    ("E", "E – Critical"),
]
# A customer's or a document's credit status, by rank (the rank of the worst effect that applies).
STATUSES = [("ok", "OK"), ("warning", "Warning"), ("blocked", "Blocked")]
STATUS_OF_EFFECT = dict(zip(EFFECT_RANK, (status for status, _label in STATUSES), strict=True))
DOCUMENTS = ("sale", "invoice", "delivery")
REFRESH_KEY = "recouvrement.credit.refresh"
# Key of the PostgreSQL advisory lock that serialises the scheduled refreshes of the positions.
REFRESH_LOCK_KEY = 74_211_602
# context key: the language of the amounts in the reasons when the context has no "lang"
AMOUNT_LANG = "recouvrement_amount_lang"

# Facts aggregated from the ledger, the draft invoices and the orders (all in company currency).
AMOUNT_FACTS = (
    "amount_open_invoices",
    "amount_unapplied_credits",
    "amount_draft_invoices",
    "amount_orders_to_invoice",
    "amount_overdue",
)
STORED_FACTS = (
    *AMOUNT_FACTS,
    "exposure",
    "credit_limit",
    "available_credit",
    "limit_usage",
    "overdue_invoice_count",
    "oldest_overdue_days",
    "average_days_late",
    "risk_grade",
    "prepayment_required",
    "has_valid_exceptions",
    "dunning_level",
    "open_dispute_count",
    "has_legal_case",
)


class RecouvrementCreditPosition(models.Model):
    _name = "recouvrement.credit.position"
    _description = "Customer credit position"
    _order = "status_rank desc, exposure desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")

    # Exposure (encours)
    amount_open_invoices = fields.Monetary("Open Invoices", readonly=True)
    amount_draft_invoices = fields.Monetary("Draft Invoices", readonly=True)
    amount_orders_to_invoice = fields.Monetary("Orders to Invoice", readonly=True)
    amount_unapplied_credits = fields.Monetary(
        "Unapplied Payments and Credit Notes", readonly=True, help="Negative: it reduces the exposure."
    )
    exposure = fields.Monetary(readonly=True)
    group_partner_id = fields.Many2one(
        "res.partner", "Group", readonly=True, index=True, help="The top parent company of the customer."
    )
    group_exposure = fields.Monetary(
        readonly=True, help="Exposure of the customer's whole group: the parent company and its subsidiaries."
    )
    credit_limit = fields.Monetary(
        "Credit Limit in Force",
        readonly=True,
        help="The customer's limit, capped by the insurer's cover when the limit follows it. 0 = no limit.",
    )
    available_credit = fields.Monetary(readonly=True)
    limit_usage = fields.Float("Limit Used (%)", readonly=True, aggregator="max")
    limit_usage_rate = fields.Float(
        "Limit Used", compute="_compute_limit_usage_rate", help="The exposure as a share of the limit."
    )

    # Overdue facts
    amount_overdue = fields.Monetary("Overdue Amount", readonly=True)
    overdue_invoice_count = fields.Integer("Overdue Invoices", readonly=True)
    oldest_overdue_days = fields.Integer("Days Late (Oldest)", readonly=True, aggregator="max")
    average_days_late = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Over the invoices due in the last 12 months.",
    )

    # Facts that other features write (hooks): see their own modules
    dunning_level = fields.Integer(
        readonly=True, help="Highest dunning level among the customer's open items (set by the dunning runs)."
    )
    has_legal_case = fields.Boolean("Legal Case", readonly=True, help="Set by the legal collection addon.")
    has_valid_exceptions = fields.Boolean(
        "Credit Exceptions", readonly=True, help="The customer has credit exceptions valid today."
    )
    open_dispute_count = fields.Integer(
        "Open Disputes", readonly=True, help="Invoices of the customer under an open dispute (litige)."
    )

    # Internal risk score (recouvrement.risk.factor), recomputed with the position
    risk_grade = fields.Selection(
        RISK_GRADES,
        readonly=True,
        aggregator="max",
        help="A (excellent) to E (critical), from the risk factors set in Configuration.",
    )
    prepayment_required = fields.Boolean(
        readonly=True, help="The risk grade reached the company's prepayment threshold."
    )

    # Decision
    status = fields.Selection(
        STATUSES,
        default="ok",
        required=True,
        readonly=True,
        index=True,
    )
    status_rank = fields.Integer(readonly=True)
    sale_effect = fields.Selection(EFFECTS, "On Orders", default="none", required=True, readonly=True)
    invoice_effect = fields.Selection(EFFECTS, "On Invoices", default="none", required=True, readonly=True)
    delivery_effect = fields.Selection(EFFECTS, "On Deliveries", default="none", required=True, readonly=True)
    reason_data = fields.Json(readonly=True)
    reasons = fields.Text(
        compute="_compute_reasons", help="Why the customer is blocked or warned, in plain words."
    )
    refresh_date = fields.Datetime("Refreshed On", readonly=True)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "One credit position per customer and company.",
        ),
    ]

    def init(self):
        res = super().init()
        # The exposure queries read the open receivable items of a few customers at a time; income
        # and tax lines are unreconciled too but never have a residual, hence the last condition.
        create_index(
            self.env.cr,
            "recouvrement_aml_open_residual_idx",
            "account_move_line",
            ["partner_id", "company_id"],
            where="reconciled IS NOT TRUE AND parent_state = 'posted' AND amount_residual <> 0",
        )
        return res

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("limit_usage")
    def _compute_limit_usage_rate(self):
        for position in self:
            position.limit_usage_rate = position.limit_usage / 100.0

    @api.depends("reason_data")
    @api.depends_context("lang")
    def _compute_reasons(self):
        for position in self:
            texts = [position._format_reason(reason) for reason in position.reason_data or []]
            position.reasons = " — ".join(dict.fromkeys(texts))  # a warning and a block may say the same

    # ------------------------------------------------------------------
    # BUSINESS: refresh
    # ------------------------------------------------------------------

    @api.model
    def _mark_for_refresh(self, partners):
        """Refresh PARTNERS' positions when the current transaction commits, once for all changes.
        Call it from anything that changes an exposure source."""
        commercial_ids = set(partners.commercial_partner_id.ids)
        if not commercial_ids or self.env.context.get("recouvrement_skip_credit_refresh"):
            return
        data = self.env.cr.precommit.data
        if REFRESH_KEY not in data:
            data[REFRESH_KEY] = set()
            self.env.cr.precommit.add(self._flush_marked)
        data[REFRESH_KEY] |= commercial_ids

    def _flush_marked(self):
        partner_ids = self.env.cr.precommit.data.pop(REFRESH_KEY, set())
        partners = self.env["res.partner"].browse(partner_ids).exists()  # some may be gone since
        if partners:
            self._refresh(partners)

    @api.model
    def _refresh(self, partners, companies=None):
        """Recompute and store the positions of PARTNERS' commercial entities in every company where
        they have a position, an open item, a draft invoice or an order to invoice, and in COMPANIES.
        Return the positions (in sudo: positions are written by the system only).

        Whoever's change it is, every position of the customer is refreshed, also in companies the
        current user may not access: the customer and the rules are then read as the system does, in
        each position's company (reading them with the user's rights would raise an access error, or
        read another company's settings)."""
        positions = self.sudo()  # positions are the system's, refreshed in every company of the customer
        partners = partners.with_env(positions.env)
        partners.fetch(["commercial_partner_id"])  # not every column of res_partner (see _evaluate)
        positions.env.cr.precommit.data.get(REFRESH_KEY, set()).difference_update(
            partners.commercial_partner_id.ids
        )
        return positions._store(positions._evaluate(partners, companies))

    def _evaluate(self, partners, companies=None):
        """Return one dict per position to refresh: position (maybe empty), partner, company, facts
        (what the rules read) and values (what is stored)."""
        commercial = partners.commercial_partner_id
        if not commercial:
            return []
        today = fields.Date.context_today(self)
        raw_facts = self._collect_facts(commercial, today)
        existing = self.search([("partner_id", "in", commercial.ids)])
        by_key = {(p.company_id.id, p.partner_id.id): p for p in existing}
        keys = set(raw_facts) | set(by_key)
        keys |= {(company.id, partner_id) for company in companies or () for partner_id in commercial.ids}
        evaluated, policies = [], {}  # company -> (rules, risk factors), read once per refresh
        for company_id, partner_id in sorted(keys):
            company = self.env["res.company"].browse(company_id)
            # prefetch over the whole batch: company-dependent fields are then read in one query
            partner = (
                commercial.browse(partner_id).with_prefetch(commercial._prefetch_ids).with_company(company)
            )
            position = by_key.get((company_id, partner_id), self.browse())
            if company not in policies:
                # only what the evaluation reads: a first read of one field would fetch every
                # column of res_partner for the whole batch, a third of the refresh's time
                commercial.with_company(company).fetch(self._get_partner_fields_read())
                policies[company] = (
                    self.env["recouvrement.credit.rule"]._get_company_rules(company),
                    self.env["recouvrement.risk.factor"]._get_company_factors(company),
                )
            rules, factors = policies[company]
            raw = raw_facts.get((company_id, partner_id), {})
            facts = self._prepare_facts(partner, company, raw, position, today, factors)
            values = {name: facts[name] for name in STORED_FACTS}
            values["group_partner_id"] = self._get_group_root(partner).id
            values.update(self._decide(partner, company, facts, today, rules))
            evaluated.append(
                {
                    "position": position,
                    "partner": partner,
                    "company": company,
                    "facts": facts,
                    "values": values,
                }
            )
        return evaluated

    def _get_partner_fields_read(self):
        """Hook: the customer's fields that the facts, risk factors and rules read, fetched for a
        whole batch at once (another field read still works: it is fetched when first read)."""
        return [
            "parent_id",
            "credit_limit",
            "credit_limit_follows_insurer",
            "credit_insurer_id",
            "credit_insurance_amount",
            "credit_insurance_date_start",
            "credit_insurance_date_end",
            "credit_blocked",
            "credit_block_reason",
            "credit_external_grade",
        ]

    def _store(self, evaluated):
        """Write the EVALUATED positions with one INSERT … ON CONFLICT UPDATE per thousand rather
        than one ORM write per position: the scheduled action refreshes every customer, and the ORM
        spent more time storing the positions than computing them. Every item's values have the
        same keys (``_evaluate`` builds them alike). Positions have no stored field computed from
        the written ones: invalidating the cache is all the ORM needs."""
        if not evaluated:
            return self.browse()
        self.flush_model()
        now = fields.Datetime.now()
        names = sorted({"refresh_date", *evaluated[0]["values"]})
        # fields with a default that the evaluation does not write (an addon's): inserted rows get it
        defaults = {
            name: value
            for name, value in self.default_get(
                [name for name, field in self._fields.items() if field.store and field.column_type]
            ).items()
            if name not in names
            and name not in ("id", "partner_id", "company_id", *models.LOG_ACCESS_COLUMNS)
        }
        columns = [
            "partner_id",
            "company_id",
            *names,
            *defaults,
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        ]
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"  # one SQL object per row, not per value
        rows = [
            SQL(
                row,
                item["partner"].id,
                item["company"].id,
                *(self._column_value(name, item["values"], now) for name in names),
                *(self._column_value(name, defaults, now) for name in defaults),
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for item in evaluated
        ]
        updated = [*names, "write_uid", "write_date"]
        ids = []
        for start in range(0, len(rows), 1000):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO recouvrement_credit_position (%(columns)s) VALUES %(rows)s
                    ON CONFLICT (partner_id, company_id) DO UPDATE SET %(updates)s
                    RETURNING id
                    """,
                    columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                    rows=SQL(", ").join(rows[start : start + 1000]),
                    updates=SQL(", ").join(
                        SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                        for name in updated
                    ),
                )
            )
            ids += [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model([*updated, *defaults])
        positions = self.browse(ids)
        positions._refresh_group_exposure()
        return positions

    def _column_value(self, name, values, now):
        """VALUES[NAME] as its column stores it (amounts are rounded already, by ``_prepare_facts``)."""
        if name == "refresh_date":
            return now
        field = self._fields[name]
        value = values[name]
        if field.type == "monetary":
            return float(value or 0.0)
        return field.convert_to_column_insert(value, self)

    def _collect_facts(self, commercial, today):
        """Return {(company_id, commercial_partner_id): {fact: value}} from the ledger, the draft
        invoices and the orders, in a few SQL aggregates over indexed columns."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(["state", "move_type", "partner_id", "amount_total_signed"])
        self.env["sale.order"].flush_model(["state", "partner_id", "currency_rate"])
        self.env["recouvrement.dispute"].flush_model(["state", "partner_id", "company_id"])
        self.env["recouvrement.credit.exception"].flush_model(
            ["active", "date_end", "partner_id", "company_id"]
        )
        self.env["sale.order.line"].flush_model(
            ["untaxed_amount_to_invoice", "price_total", "price_subtotal"]
        )
        params = {"partners": list(commercial.ids), "today": today, "year_ago": today - timedelta(days=365)}
        queries = (
            self._receivables_query(params, self._overdue_thresholds()),
            self._days_late_query(params),
            self._draft_invoices_query(params),
            self._orders_query(params),
            self._exceptions_query(params),
            self._disputes_query(params),
        )
        facts = defaultdict(dict)
        for query in queries:
            self.env.cr.execute(query)
            for row in self.env.cr.dictfetchall():
                key = (row.pop("company_id"), row.pop("partner_id"))
                facts[key].update({name: value or 0 for name, value in row.items()})
        return facts

    def _overdue_thresholds(self):
        rules = self.env["recouvrement.credit.rule"].search([("condition", "=", "overdue_days")])
        return sorted(set(rules.mapped("days")))

    @api.model
    def _receivables_query(self, params, thresholds):
        """Open receivable items (company currency): invoices, unapplied credits, overdue facts, and
        for each rule threshold N the count and amount of invoices more than N days late."""
        overdue = SQL("aml.amount_residual > 0 AND aml.date_maturity < %s", params["today"])
        by_threshold = [
            SQL(
                "COUNT(DISTINCT aml.move_id) FILTER (WHERE %(late)s) AS %(count)s,"
                " SUM(aml.amount_residual) FILTER (WHERE %(late)s) AS %(amount)s",
                late=SQL(
                    "aml.amount_residual > 0 AND aml.date_maturity < %s",
                    params["today"] - timedelta(days=days),
                ),
                count=SQL.identifier(f"overdue_count_{days}"),
                amount=SQL.identifier(f"overdue_amount_{days}"),
            )
            for days in thresholds
        ]
        return SQL(
            """
            SELECT aml.company_id, p.commercial_partner_id AS partner_id,
                   SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual > 0)
                       AS amount_open_invoices,
                   SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0)
                       AS amount_unapplied_credits,
                   SUM(aml.amount_residual) FILTER (WHERE %(overdue)s) AS amount_overdue,
                   COUNT(DISTINCT aml.move_id) FILTER (WHERE %(overdue)s) AS overdue_invoice_count,
                   MAX(%(today)s - aml.date_maturity) FILTER (WHERE %(overdue)s) AS oldest_overdue_days,
                   MAX(level.level) FILTER (WHERE aml.amount_residual > 0) AS dunning_level
                   %(by_threshold)s
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              LEFT JOIN recouvrement_dunning_level level ON level.id = aml.dunning_level_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND %(open_item)s
          GROUP BY aml.company_id, p.commercial_partner_id
            """,
            overdue=overdue,
            open_item=self.env["account.move.line"]._get_open_receivable_sql(),
            today=params["today"],
            by_threshold=SQL("").join(SQL(", %s", part) for part in by_threshold),
            partners=params["partners"],
        )

    @api.model
    def _days_late_query(self, params):
        """Average days late, weighted by amount, of the invoices due in the last 12 months: paid ones
        at the date of their last payment, open ones today."""
        return SQL(
            """
            SELECT aml.company_id, p.commercial_partner_id AS partner_id,
                   SUM(GREATEST(COALESCE(paid.date, %(today)s) - aml.date_maturity, 0) * aml.balance)
                       / NULLIF(SUM(aml.balance), 0) AS average_days_late
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
         LEFT JOIN LATERAL (
                   SELECT MAX(apr.max_date) AS date FROM account_partial_reconcile apr
                    WHERE aml.reconciled AND apr.debit_move_id = aml.id
                   ) paid ON TRUE
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.balance > 0
               AND aml.date_maturity BETWEEN %(year_ago)s AND %(today)s
          GROUP BY aml.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _draft_invoices_query(self, params):
        return SQL(
            """
            SELECT m.company_id, p.commercial_partner_id AS partner_id,
                   SUM(m.amount_total_signed) AS amount_draft_invoices
              FROM account_move m
              JOIN res_partner p ON p.id = m.partner_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND m.state = 'draft'
               AND m.move_type IN ('out_invoice', 'out_refund')
          GROUP BY m.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _orders_query(self, params):
        """Confirmed orders not yet invoiced, taxes included, at the order's rate to company currency."""
        return SQL(
            """
            SELECT so.company_id, p.commercial_partner_id AS partner_id,
                   SUM(sol.untaxed_amount_to_invoice
                       * CASE WHEN sol.price_subtotal <> 0
                              THEN sol.price_total / sol.price_subtotal ELSE 1 END
                       / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS amount_orders_to_invoice
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND so.state = 'sale'
               AND sol.untaxed_amount_to_invoice > 0
          GROUP BY so.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _exceptions_query(self, params):
        """Whether the customer has exceptions valid today: most have none, and then a decision
        needs not look for one."""
        return SQL(
            """
            SELECT e.company_id, p.commercial_partner_id AS partner_id, TRUE AS has_valid_exceptions
              FROM recouvrement_credit_exception e
              JOIN res_partner p ON p.id = e.partner_id
             WHERE p.commercial_partner_id = ANY(%(partners)s)
               AND e.active
               AND (e.date_end IS NULL OR e.date_end >= %(today)s)
          GROUP BY e.company_id, p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _disputes_query(self, params):
        """Open disputes (litiges): the dunning run leaves their invoices alone."""
        return SQL(
            """
            SELECT d.company_id, d.partner_id, COUNT(*) AS open_dispute_count
              FROM recouvrement_dispute d
             WHERE d.partner_id = ANY(%(partners)s)
               AND d.state = 'open'
          GROUP BY d.company_id, d.partner_id
            """,
            **params,
        )

    def _prepare_facts(self, partner, company, raw, position, today, factors):
        """What the rules read about one customer in one company, from the RAW aggregates.

        Hook: extend it to add facts before the rules see them."""
        currency = company.currency_id
        facts = {name: currency.round(raw.get(name, 0.0)) for name in AMOUNT_FACTS}
        facts["exposure"] = currency.round(
            facts["amount_open_invoices"]
            + facts["amount_unapplied_credits"]
            + facts["amount_draft_invoices"]
            + facts["amount_orders_to_invoice"]
        )
        facts["overdue_invoice_count"] = int(raw.get("overdue_invoice_count", 0))
        facts["has_valid_exceptions"] = bool(raw.get("has_valid_exceptions"))
        facts["oldest_overdue_days"] = int(raw.get("oldest_overdue_days", 0))
        facts["average_days_late"] = round(float(raw.get("average_days_late", 0.0)), 1)
        facts["overdue_by_threshold"] = {
            int(name.removeprefix("overdue_count_")): (
                int(value),
                currency.round(raw.get(name.replace("count", "amount"), 0.0)),
            )
            for name, value in raw.items()
            if name.startswith("overdue_count_")
        }
        limit = partner._get_credit_limit_in_force(today)
        facts["credit_limit"] = limit
        facts["available_credit"] = currency.round(limit - facts["exposure"]) if limit else 0.0
        facts["limit_usage"] = round(100.0 * facts["exposure"] / limit, 1) if limit else 0.0
        facts["dunning_level"] = int(raw.get("dunning_level", 0))
        facts["open_dispute_count"] = int(raw.get("open_dispute_count", 0))
        for name in ("has_legal_case",):  # written by another addon: its aggregate, else the stored value
            if name in raw:
                facts[name] = raw[name]
            else:
                facts[name] = position[name] if position else self._fields[name].convert_to_record(None, self)
        facts["risk_grade"] = factors._grade(partner, facts)
        threshold = company.credit_prepayment_grade
        facts["prepayment_required"] = bool(
            threshold and facts["risk_grade"] and facts["risk_grade"] >= threshold
        )
        return facts

    @api.model
    def _decide(self, partner, company, facts, today, rules=None):
        """Run the company's rules over FACTS: return the effects per document, status and reasons."""
        if rules is None:
            rules = self.env["recouvrement.credit.rule"]._get_company_rules(company)
        reasons = []
        effects = dict.fromkeys(DOCUMENTS, "none")
        for rule in rules:
            reason = rule._match(partner, facts, today)
            if not reason:
                continue
            reason = {**reason, "rule_id": rule.id, "condition": rule.condition}
            for document in DOCUMENTS:
                effect = rule[f"{document}_effect"]
                reason[document] = effect
                if EFFECT_RANK[effect] > EFFECT_RANK[effects[document]]:
                    effects[document] = effect
            reasons.append(reason)
        worst = max(EFFECT_RANK[effect] for effect in effects.values())
        return {
            **{f"{document}_effect": effect for document, effect in effects.items()},
            "status": STATUSES[worst][0],
            "status_rank": worst,
            "reason_data": reasons,
        }

    @api.model
    def _get_group_root(self, partner):
        root = partner
        while root.parent_id:
            root = root.parent_id
        return root

    def _refresh_group_exposure(self):
        """Group exposure: the sum over every customer under the same top parent company."""
        if not self:
            return
        self.flush_model(["exposure", "group_partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH touched AS (
                    SELECT DISTINCT group_partner_id, company_id FROM recouvrement_credit_position
                     WHERE id = ANY(%s)
                ), total AS (
                    SELECT pos.group_partner_id, pos.company_id, SUM(pos.exposure) AS amount
                      FROM recouvrement_credit_position pos JOIN touched USING (group_partner_id, company_id)
                  GROUP BY pos.group_partner_id, pos.company_id
                )
                UPDATE recouvrement_credit_position pos SET group_exposure = total.amount
                  FROM total
                 WHERE pos.group_partner_id = total.group_partner_id AND pos.company_id = total.company_id
                """,
                list(self.ids),
            )
        )
        self.invalidate_model(["group_exposure"])

    @api.model
    def _cron_refresh(self, batch_size=500):
        """Daily, and after a rule changed: refresh the positions not refreshed today and create those
        of customers with open items and no position yet, in batches (the cron commits between them).

        Serial: a second cron thread finds the lock taken and leaves the batch to the first one (both
        would pick the same customers, and the positions they create are unique per customer)."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", REFRESH_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Credit positions refresh skipped: another one is in progress.")
            return
        partners = self._get_partners_to_refresh(batch_size)
        self._refresh(partners)
        remaining = len(self._get_partners_to_refresh(None))
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)

    def _get_partners_to_refresh(self, limit):
        self.flush_model(["refresh_date"])
        start_of_day = fields.Datetime.to_datetime(fields.Date.context_today(self))
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id FROM recouvrement_credit_position
                 WHERE refresh_date IS NULL OR refresh_date < %(start)s
                 UNION
                SELECT DISTINCT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE %(open_item)s
                   AND NOT EXISTS (
                       SELECT 1 FROM recouvrement_credit_position pos
                        WHERE pos.partner_id = p.commercial_partner_id AND pos.company_id = aml.company_id
                   )
                 LIMIT %(limit)s
                """,
                start=start_of_day,
                open_item=self.env["account.move.line"]._get_open_receivable_sql(),
                limit=limit,
            )
        )
        return self.env["res.partner"].browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _invalidate_all(self):
        """Rules changed: every position must be decided again, by the scheduled action now."""
        self.env.cr.execute("UPDATE recouvrement_credit_position SET refresh_date = NULL")
        self.invalidate_model(["refresh_date"])
        cron = self.env.ref("recouvrement_credit.ir_cron_refresh_credit_positions", raise_if_not_found=False)
        if cron:  # not yet there while the module installs
            cron.sudo()._trigger()  # the refresh job is the system's: whoever changes a rule starts it

    # ------------------------------------------------------------------
    # BUSINESS: decisions
    # ------------------------------------------------------------------

    @api.model
    def _get_decision(self, partner, company, document, extra_exposure=0.0):
        """Decide on one DOCUMENT of PARTNER in COMPANY: see ``_get_decisions``."""
        return self._get_decisions([(partner, company, extra_exposure)], document)[0]

    @api.model
    def _get_decisions(self, requests, document):
        """Decide on DOCUMENT ('sale', 'invoice' or 'delivery') for each (partner, company,
        extra_exposure) of REQUESTS: a document of PARTNER in COMPANY that would add EXTRA_EXPOSURE
        (company currency) once confirmed.

        The stored positions are current (see ``_get_current_positions``), so only the rules that
        read the exposure are evaluated again, with each document's amount added. The whole batch
        costs a constant number of queries, whatever its size.
        Return [(position, effect, reasons)] in the order of REQUESTS: the reasons in plain words of
        the rules with that effect."""
        if not requests:
            return []
        positions = self.sudo()  # the system's positions and rules decide on anyone's document
        partners = self.env["res.partner"].union(
            *(partner.commercial_partner_id for partner, *__ in requests)
        )
        companies = self.env["res.company"].union(*(company for __, company, __ in requests))
        current = positions._get_current_positions(partners, companies)
        rules_by_company = positions.env["recouvrement.credit.rule"]._get_rules_by_company(companies)
        exposure_conditions = positions.env["recouvrement.credit.rule"]._EXPOSURE_CONDITIONS
        today = fields.Date.today()
        amount_lang = {} if self.env.context.get("lang") else None  # resolved once, when a reason is written
        decisions = []
        for partner, company, extra_exposure in requests:
            position = current[partner.commercial_partner_id.id, company.id]
            rules = rules_by_company[company.id]
            exposure_rules = rules.filtered(lambda rule: rule.condition in exposure_conditions)
            reasons = [r for r in position.reason_data or [] if r["condition"] not in exposure_conditions]
            if exposure_rules:
                facts = {
                    "exposure": position.exposure + extra_exposure,
                    "credit_limit": position.credit_limit,
                }
                reasons += positions._decide(position.partner_id, company, facts, today, exposure_rules)[
                    "reason_data"
                ]
            effect = max((r[document] for r in reasons), key=EFFECT_RANK.__getitem__, default="none")
            shown = [r for r in reasons if r[document] == effect]
            if shown and amount_lang is None:
                amount_lang = {AMOUNT_LANG: positions._get_amount_lang()}
            texts = [position.with_context(**amount_lang or {})._format_reason(r) for r in shown]
            decisions.append((position.with_env(self.env), effect, list(dict.fromkeys(texts))))
        return decisions

    def _get_current_positions(self, partners, companies):
        """{(partner id, company id): position} of the commercial PARTNERS in COMPANIES, those that
        are not current refreshed first, all in one go. A position is current when it exists, it was
        refreshed today (days overdue change with time) and this transaction changed none of its
        sources (the commit of every transaction that did refreshed it). "Today" is the server's
        date: the user's would read the user record on this hot path."""
        found = self.search_fetch(
            [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)],
            [
                "partner_id",
                "company_id",
                "refresh_date",
                "exposure",
                "credit_limit",
                "reason_data",
                "has_valid_exceptions",
            ],
        )
        by_key = {(position.partner_id.id, position.company_id.id): position for position in found}
        touched = self.env.cr.precommit.data.get(REFRESH_KEY, ())
        start_of_day = fields.Datetime.to_datetime(fields.Date.today())

        def is_current(partner):
            return partner.id not in touched and all(
                (position := by_key.get((partner.id, company.id)))
                and position.refresh_date
                and position.refresh_date >= start_of_day
                for company in companies
            )

        stale = partners.filtered(lambda partner: not is_current(partner))
        if stale:
            refreshed = self._refresh(stale, companies)
            by_key.update(
                {(position.partner_id.id, position.company_id.id): position for position in refreshed}
            )
        return by_key

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _format_reason(self, reason):
        """A reason in plain words, in the reader's language (see the rules' ``_describe``)."""
        currency = self.currency_id or self.env.company.currency_id
        currency.fetch(["decimal_places", "rounding", "position", "symbol"])  # not its other columns
        rules = self.env["recouvrement.credit.rule"]
        if not self.env.context.get("lang") and AMOUNT_LANG not in self.env.context:
            rules = rules.with_context(**{AMOUNT_LANG: self._get_amount_lang()})
        return rules._describe(reason, currency)

    def _get_amount_lang(self):
        """The language in which ``format_amount`` writes amounts when the context has none: that of
        the user's company, as ``get_lang`` picks it, but read narrowly: ``get_lang`` reads the whole
        user, company and partner records, which cost most of an order check (the reasons are
        written on every blocked document)."""
        installed = self.env["res.lang"].get_installed()
        if len(installed) == 1:  # get_lang can pick no other: no need to read anything
            return installed[0][0]
        self.env["res.users"].flush_model(["company_id"])
        self.env["res.company"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["lang"])
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.lang
                  FROM res_users users
                  JOIN res_company company ON company.id = users.company_id
                  JOIN res_partner partner ON partner.id = company.partner_id
                 WHERE users.id = %s
                """,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        return (row and row[0]) or False
