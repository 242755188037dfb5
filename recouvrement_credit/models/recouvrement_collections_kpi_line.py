from odoo import fields, models


class RecouvrementCollectionsKpiLine(models.TransientModel):
    """The collections KPIs of one month (see ``recouvrement.collections.kpi``)."""

    _name = "recouvrement.collections.kpi.line"
    _description = "Collections KPIs of a month"
    _order = "month"

    kpi_id = fields.Many2one(
        "recouvrement.collections.kpi", "KPIs", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="kpi_id.currency_id")
    month = fields.Date(required=True)
    credit_sales = fields.Monetary()
    ar = fields.Monetary("Receivables")
    current_ar = fields.Monetary("Not Yet Due")
    dso_simple = fields.Float("DSO (Simple)", digits=(16, 1), aggregator="avg")
    dso_countback = fields.Float("DSO (Countback)", digits=(16, 1), aggregator="avg")
    best_dso = fields.Float("Best Possible DSO", digits=(16, 1), aggregator="avg")
    add = fields.Float("Average Days Delinquent", digits=(16, 1), aggregator="avg")
    cei = fields.Float("CEI (%)", digits=(16, 1), aggregator="avg")
    overdue_share = fields.Float("Overdue (%)", digits=(16, 1), aggregator="avg")
