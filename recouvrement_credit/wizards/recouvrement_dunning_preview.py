from odoo import Command, api, fields, models


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

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            date = values.get("date") or fields.Date.context_today(self)
            values["line_ids"] = [Command.create(line) for line in self._prepare_lines(company, date)]
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
