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
    at_risk_billed = fields.Monetary(
        "Invoiced (90 Days Over)", help="Invoices of the month whose 90 days are over."
    )
    at_risk_unpaid = fields.Monetary("Unpaid after 90 Days")
    at_risk_rate = fields.Float(
        "At Risk (%)",
        digits=(16, 1),
        aggregator="avg",
        help="Share of the month's invoices still unpaid 90 days after their date.",
    )
    doubtful = fields.Monetary("Doubtful Receivables", help="Doubtful debts at the month's end.")
    doubtful_share = fields.Float("Doubtful (%)", digits=(16, 1), aggregator="avg")
    penalties_invoiced = fields.Monetary(help="Late-payment interest and fixed indemnities invoiced.")
    fees_invoiced = fields.Monetary()
    penalties_collected = fields.Monetary(help="Payments received on penalty invoices.")
    legal_costs = fields.Monetary()
    promises_due = fields.Integer(aggregator="sum")
    promises_kept = fields.Integer(aggregator="sum")
    promise_kept_rate = fields.Float("Promises Kept (%)", digits=(16, 1), aggregator="avg")
    promise_kept_amount_rate = fields.Float("Promised Amount Kept (%)", digits=(16, 1), aggregator="avg")
    disputes_closed = fields.Integer(aggregator="sum")
    dispute_days = fields.Float(
        "Dispute Resolution (Days)",
        digits=(16, 1),
        aggregator="avg",
        help="Average days from opening to closing.",
    )
    plans_ended = fields.Integer("Payment Plans Ended", aggregator="sum")
    plans_honoured_rate = fields.Float("Payment Plans Honoured (%)", digits=(16, 1), aggregator="avg")


class RecouvrementCollectionsKpiLevel(models.TransientModel):
    """The cure rate of a dunning level in a month: items that reached the level, and how many were
    paid before they reached the next one (see ``recouvrement.collections.kpi._get_cure_rates``)."""

    _name = "recouvrement.collections.kpi.level"
    _description = "Cure rate of a dunning level in a month"
    _order = "month, level"

    kpi_id = fields.Many2one(
        "recouvrement.collections.kpi", "KPIs", required=True, ondelete="cascade", index=True
    )
    month = fields.Date(required=True)
    level = fields.Integer("Dunning Level", aggregator=None)
    reached = fields.Integer("Items Reaching the Level", aggregator="sum")
    cured = fields.Integer("Paid before the Next Level", aggregator="sum")
    cure_rate = fields.Float("Cure Rate (%)", digits=(16, 1), aggregator="avg")


class RecouvrementCollectionsKpiCollector(models.TransientModel):
    """A collector's month: cash collected, amount overdue and actions done (see
    ``recouvrement.collections.kpi._get_collector_values``)."""

    _name = "recouvrement.collections.kpi.collector"
    _description = "Collector's month"
    _order = "month, collector_id"

    kpi_id = fields.Many2one(
        "recouvrement.collections.kpi", "KPIs", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="kpi_id.currency_id")
    month = fields.Date(required=True)
    collector_id = fields.Many2one("res.users")
    collected = fields.Monetary()
    overdue = fields.Monetary("Overdue at Month End")
    cei = fields.Float("CEI (%)", digits=(16, 1), aggregator="avg")
    activities_done = fields.Integer(aggregator="sum")
    promises_recorded = fields.Integer(aggregator="sum")
    plans_agreed = fields.Integer("Payment Plans Agreed", aggregator="sum")
    disputes_closed = fields.Integer(aggregator="sum")
    actions_done = fields.Integer(aggregator="sum")
    activities_late = fields.Integer(
        "Actions Overdue",
        aggregator="sum",
        help="Activities still to do whose deadline fell in the month and has passed.",
    )
