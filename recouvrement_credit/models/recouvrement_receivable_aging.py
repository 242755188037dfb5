from odoo import fields, models
from odoo.tools import SQL


class RecouvrementReceivableAging(models.Model):
    """The receivable items open today, aged by due date in each company's buckets: the aged
    balance of today as a stored model, for the Collections dashboard's aged balance, overdue
    amount and top customers. A view over ``recouvrement.aged.balance._get_open_items_query``
    (the one definition of an open item on a date), read in the user's companies and language."""

    _name = "recouvrement.receivable.aging"
    _description = "Receivables by age today"
    _auto = False
    _order = "partner_id, days desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    move_id = fields.Many2one("account.move", "Document", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_maturity = fields.Date("Due Date", readonly=True)
    days = fields.Integer("Days Late", readonly=True, aggregator="max")
    bucket = fields.Char(readonly=True)
    bucket_sequence = fields.Integer(readonly=True, aggregator=None)
    overdue = fields.Boolean(readonly=True)
    residual = fields.Monetary("Amount Due", currency_field="company_currency_id", readonly=True)
    residual_overdue = fields.Monetary("Amount Overdue", currency_field="company_currency_id", readonly=True)
    dunning_level = fields.Integer("Level Reached", readonly=True, aggregator="max")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        items = self.env["recouvrement.aged.balance"]._get_open_items_query(today, "due", self.env.companies)
        return SQL(
            """
            SELECT item.move_line_id AS id, item.company_id, item.partner_id, item.collector_id,
                   item.user_id, item.country_id, item.move_id, item.currency_id, item.date_maturity,
                   item.days, item.bucket, item.bucket_sequence, item.bucket_sequence > 0 AS overdue,
                   item.residual,
                   CASE WHEN item.bucket_sequence > 0 THEN item.residual ELSE 0 END AS residual_overdue,
                   item.dunning_level
              FROM (%s) item
            """,
            items,
        )
