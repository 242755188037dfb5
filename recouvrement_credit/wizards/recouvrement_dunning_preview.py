from odoo import api, fields, models


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

    @api.depends("line_ids.amount_company")
    def _compute_totals(self):
        for preview in self:
            preview.amount_total = sum(preview.line_ids.mapped("amount_company"))
            preview.reminder_count = len(preview.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        for preview in previews:
            preview._load_lines()
        return previews

    def _load_lines(self):
        run = self.env["recouvrement.dunning.run"].new({"company_id": self.company_id.id, "date": self.date})
        rows = run._preview()
        levels = self.env["recouvrement.dunning.level"].browse({row["level_id"] for row in rows})
        self.line_ids = [
            fields.Command.create(
                {
                    "partner_id": row["partner_id"],
                    "currency_id": row["currency_id"],
                    "level_id": row["level_id"],
                    "channels": ", ".join(
                        dict(
                            self.env["recouvrement.dunning.dispatch"]
                            ._fields["channel"]
                            ._description_selection(self.env)
                        )[channel]
                        for channel in levels.browse(row["level_id"])._get_channels()
                    ),
                    "item_count": row["item_count"],
                    "amount_due": row["amount_due"],
                    "amount_company": row["amount_company"],
                    "max_days_late": row["max_days_late"],
                }
            )
            for row in rows
        ]

    def action_run(self):
        """Run today's dunning for the company, then send what does not wait for a review."""
        self.ensure_one()
        run = self.env["recouvrement.dunning.run"]._get_or_create(self.company_id, self.date)
        run._generate()
        run.communication_ids.filtered(lambda c: c.state == "queued").dispatch_ids._send()
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
