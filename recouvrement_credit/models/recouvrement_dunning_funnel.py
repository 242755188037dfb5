from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.tools import SQL

from .recouvrement_collections_month import TREND_MONTHS


class RecouvrementDunningFunnel(models.Model):
    """The dunning funnel of each company, level and month over the last 12 months, for the
    Collections dashboard: reminders sent at the level (their highest level), items reaching the
    level and items cured (paid before the next level), read from the KPIs' one definition of a
    cure (``recouvrement.collections.kpi._get_levels_reached_query``). ``months_ago`` (0 this
    month) lets a dashboard pick a month without a dated domain."""

    _name = "recouvrement.dunning.funnel"
    _description = "Dunning funnel"
    _auto = False
    _order = "company_id, month, level"

    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    months_ago = fields.Integer(readonly=True, aggregator=None)
    level = fields.Integer("Dunning Level", readonly=True, aggregator=None)
    reminders = fields.Integer("Reminders Sent", readonly=True, aggregator="sum")
    reached = fields.Integer("Items Reaching the Level", readonly=True, aggregator="sum")
    cured = fields.Integer("Paid before the Next Level", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        start = today - relativedelta(months=TREND_MONTHS - 1, day=1)
        return SQL(
            """
            WITH reminder AS (
                SELECT comm.company_id, date_trunc('month', comm.date)::date AS month, level.level,
                       COUNT(*) AS reminders
                  FROM recouvrement_dunning_communication comm
                  JOIN recouvrement_dunning_level level ON level.id = comm.level_id
                 WHERE comm.state != 'cancelled' AND comm.date >= %(start)s AND comm.date <= %(today)s
                 GROUP BY 1, 2, 3
            ), item AS (
                SELECT company_id, date_trunc('month', date)::date AS month, level,
                       COUNT(*) AS reached, COUNT(*) FILTER (WHERE cured) AS cured
                  FROM (%(reached)s) reached
                 GROUP BY 1, 2, 3
            ), funnel AS (
                SELECT COALESCE(reminder.company_id, item.company_id) AS company_id,
                       COALESCE(reminder.month, item.month) AS month,
                       COALESCE(reminder.level, item.level) AS level,
                       COALESCE(reminder.reminders, 0) AS reminders,
                       COALESCE(item.reached, 0) AS reached,
                       COALESCE(item.cured, 0) AS cured
                  FROM reminder
                  FULL JOIN item
                    ON item.company_id = reminder.company_id
                   AND item.month = reminder.month
                   AND item.level = reminder.level
            )
            SELECT ROW_NUMBER() OVER (ORDER BY company_id, month, level) AS id, company_id, month, level,
                   ((DATE_PART('year', %(today)s::date) - DATE_PART('year', month)) * 12
                    + DATE_PART('month', %(today)s::date) - DATE_PART('month', month))::int AS months_ago,
                   reminders, reached, cured
              FROM funnel
            """,
            today=today,
            start=start,
            reached=self.env["recouvrement.collections.kpi"]._get_levels_reached_query(
                SQL("comm.date >= %s AND comm.date <= %s", start, today)
            ),
        )

    def _flush_search(self, *args, **kwargs):
        for model in (
            "recouvrement.dunning.communication",
            "recouvrement.dunning.communication.line",
            "account.move.line",
            "account.partial.reconcile",
        ):
            self.env[model].flush_model()
        return super()._flush_search(*args, **kwargs)
