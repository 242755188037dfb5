from odoo import api, fields, models


class RecouvrementAgedBalanceLine(models.TransientModel):
    """A receivable item open on the date of an aged balance, with its amount on that date."""

    _name = "recouvrement.aged.balance.line"
    _description = "Aged balance item"
    _order = "partner_id, days desc, id"

    report_id = fields.Many2one(
        "recouvrement.aged.balance", "Aged Balance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    move_id = fields.Many2one("account.move", "Document", readonly=True)
    move_line_id = fields.Many2one("account.move.line", "Item", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date("Accounting Date", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_maturity = fields.Date("Due Date", readonly=True)
    days = fields.Integer(
        readonly=True, aggregator="max", help="Days late (by due date) or since the invoice date."
    )
    bucket = fields.Char(readonly=True)
    bucket_sequence = fields.Integer(readonly=True)
    residual = fields.Monetary("Amount Due", currency_field="company_currency_id", readonly=True)
    residual_currency = fields.Monetary(
        "Amount Due in Currency", currency_field="currency_id", readonly=True, aggregator=None
    )
    dunning_level = fields.Integer("Level Reached", readonly=True, aggregator="max")
    risk_grade = fields.Selection(
        selection=lambda self: self.env["recouvrement.credit.position"]._fields["risk_grade"].selection,
        readonly=True,
    )
    credit_status = fields.Selection(
        selection=lambda self: self.env["recouvrement.credit.position"]._fields["status"].selection,
        readonly=True,
    )

    @api.model
    def _get_item_columns(self):
        """The columns ``recouvrement.aged.balance._fill_lines`` copies from the open items' query."""
        return [
            "company_id", "partner_id", "collector_id", "user_id", "country_id", "move_id", "move_line_id",
            "currency_id", "date", "invoice_date", "date_maturity", "days", "bucket", "bucket_sequence",
            "residual", "residual_currency", "dunning_level", "risk_grade", "credit_status",
        ]  # fmt: skip
