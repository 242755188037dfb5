from odoo import api, fields, models


class RecouvrementLegalRecovery(models.TransientModel):
    """Book a sum received from a written-off debtor as income (7714) with its VAT collected again:
    from a payment already registered on the customer, or a new payment received in a bank journal."""

    _name = "recouvrement.legal.recovery"
    _description = "Recovery after write-off"
    _check_company_auto = True

    case_id = fields.Many2one("recouvrement.legal.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    partner_id = fields.Many2one(related="case_id.partner_id")
    amount_recoverable = fields.Monetary("Written Off, Not Recovered", compute="_compute_amount_recoverable")
    payment_line_id = fields.Many2one(
        "account.move.line",
        "Payment Received",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('parent_state', '=', 'posted'),"
        " ('account_id.account_type', '=', 'asset_receivable'), ('reconciled', '=', False),"
        " ('amount_residual', '<', 0)]",
        compute="_compute_payment_line_id",
        store=True,
        readonly=False,
        help="A payment of the customer already registered and not reconciled (proposed: the latest "
        "received since the write-off). Empty: a new payment is registered in the journal below.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(
        "Amount Received (incl. VAT)", compute="_compute_amount", store=True, readonly=False
    )

    @api.depends("case_id.amount_written_off", "case_id.amount_recovered_after_writeoff")
    def _compute_amount_recoverable(self):
        for wizard in self:
            wizard.amount_recoverable = wizard.case_id._get_recoverable_amount() if wizard.case_id else 0.0

    @api.depends("case_id")
    def _compute_payment_line_id(self):
        for wizard in self:
            case = wizard.case_id
            since = min(case.writeoff_move_ids.mapped("date"), default=False)
            wizard.payment_line_id = since and self.env["account.move.line"].search(
                [
                    ("company_id", "=", case.company_id.id),
                    ("partner_id", "child_of", case.partner_id.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("date", ">=", since),
                ],
                order="date desc, id desc",
                limit=1,
            )

    @api.depends("case_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(wizard.company_id),
                    ("type", "=", "bank"),
                ],
                limit=1,
            )

    @api.depends("payment_line_id", "amount_recoverable")
    def _compute_amount(self):
        for wizard in self:
            if wizard.payment_line_id:
                wizard.amount = min(-wizard.payment_line_id.amount_residual, wizard.amount_recoverable)
            else:
                wizard.amount = wizard.amount_recoverable

    def action_confirm(self):
        self.ensure_one()
        move = self.case_id._book_recovery(
            self.amount, self.date, payment_line=self.payment_line_id or None, journal=self.journal_id
        )
        return move._get_records_action()
