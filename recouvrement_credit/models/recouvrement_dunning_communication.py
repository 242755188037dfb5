from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

STATES = [
    ("to_review", "To Review"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High")]
# What a reminder said once it left: frozen from then on (the evidence legal action relies on).
EVIDENCE_FIELDS = frozenset(
    {
        "date",
        "partner_id",
        "contact_id",
        "company_id",
        "currency_id",
        "scenario_id",
        "level_id",
        "line_ids",
        "amount_due",
        "amount_credit",
        "credit_covers",
        "max_days_late",
        "run_id",
    }
)


class RecouvrementDunningCommunication(models.Model):
    """A reminder (relance) to one customer, in one company and currency, listing all the items it
    chases at that moment. Created in bulk by the dunning run; sent through its dispatches (one per
    channel); never deleted, and frozen once it has left."""

    _name = "recouvrement.dunning.communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning reminder"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False)
    run_id = fields.Many2one("recouvrement.dunning.run", readonly=True, index="btree_not_null")
    date = fields.Date(required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, index=True)
    contact_id = fields.Many2one(
        "res.partner", "Recipient", readonly=True, help="The customer's invoicing contact, else the customer."
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    scenario_id = fields.Many2one("recouvrement.dunning.scenario", readonly=True)
    # cascade for the addon's uninstallation only: levels with reminders cannot be deleted otherwise
    level_id = fields.Many2one(
        "recouvrement.dunning.level", required=True, readonly=True, index=True, ondelete="cascade"
    )
    level = fields.Integer("Level Number", related="level_id.level")
    tone = fields.Selection(related="level_id.tone")
    consumer = fields.Boolean(compute="_compute_consumer")
    state = fields.Selection(
        STATES, required=True, default="queued", readonly=True, index=True, tracking=True
    )
    line_ids = fields.One2many(
        "recouvrement.dunning.communication.line", "communication_id", "Items", readonly=True
    )
    dispatch_ids = fields.One2many(
        "recouvrement.dunning.dispatch", "communication_id", "Channels", readonly=True
    )
    move_ids = fields.Many2many("account.move", compute="_compute_move_ids", string="Invoices")
    amount_due = fields.Monetary(readonly=True)
    amount_credit = fields.Monetary(
        "Unapplied Credit", readonly=True, help="The customer's payments and credit notes not yet matched."
    )
    credit_covers = fields.Boolean(
        "Covered by Credit",
        readonly=True,
        help="The customer's unapplied credit covers the amount due: the "
        "reminder asks to match it instead of asking to pay.",
    )
    max_days_late = fields.Integer("Days Late", readonly=True)
    priority_score = fields.Float(
        readonly=True, help="Amount due (company currency) × days late: the collectors' worklist order."
    )
    priority = fields.Selection(PRIORITIES, readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Collector", readonly=True, index=True)
    show_penalties = fields.Boolean(related="level_id.show_penalties")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("scenario_id.customer_type")
    def _compute_consumer(self):
        for communication in self:
            communication.consumer = communication.scenario_id.customer_type == "b2c"

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for communication in self:
            communication.move_ids = communication.line_ids.move_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        communications = super().create(vals_list)
        for communication in communications.filtered(lambda c: not c.name):
            communication.name = communication._default_name()
        return communications

    def write(self, vals):
        if EVIDENCE_FIELDS.intersection(vals) and any(c.state != "to_review" for c in self):
            raise UserError(self.env._("A reminder that has been sent or queued cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Reminders are never deleted: cancel a reminder under review instead."))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_approve(self):
        """Release reminders under review: they go out with the next dispatch."""
        to_approve = self.filtered(lambda c: c.state == "to_review")
        to_approve.state = "queued"
        to_approve._on_queued()
        self.env.ref("recouvrement_credit.ir_cron_dunning_dispatch")._trigger()
        return True

    def action_cancel(self):
        """Drop reminders under review; their items go back to the level they had."""
        if any(c.state != "to_review" for c in self):
            raise UserError(self.env._("Only reminders under review can be cancelled."))
        self.line_ids._restore_previous_level()
        self.dispatch_ids.state = "cancelled"
        self.state = "cancelled"
        return True

    def action_send_now(self):
        """Send the queued channels of these reminders now, instead of waiting for the dispatch job."""
        self.dispatch_ids.filtered(lambda d: d.state == "queued")._send()
        return True

    def action_open_items(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminded Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _on_queued(self):
        """What reaching a level triggers besides communicating, once the reminder is released.

        Hooks: ``_propose_legal_handover`` and ``_apply_penalties`` (overridden by the legal addon
        and the penalties feature)."""
        self.filtered(lambda c: c.level_id.propose_legal)._propose_legal_handover()
        self.filtered(lambda c: c.level_id.apply_penalties and not c.credit_covers)._apply_penalties()

    def _propose_legal_handover(self):
        """Hook: the legal addon opens cases. Here: a note on the customer for the credit manager."""
        for communication in self._in_company_lang():
            communication.partner_id.message_post(
                body=communication.env._(
                    "Dunning level %(level)s reached: the customer's overdue items are proposed for legal "
                    "action (%(amount)s).",
                    level=communication.level_id.name,
                    amount=communication._format_amount(communication.amount_due),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _apply_penalties(self):
        """Invoice the late-payment penalties owed so far on the reminded invoices."""
        invoices = self.env["account.move"]
        for communication in self._in_company_lang():
            try:
                with self.env.cr.savepoint():
                    invoices |= communication.line_ids.move_id._create_late_payment_invoices(
                        communication.date
                    )
            except UserError as error:  # e.g. a semester's rate not loaded: dunning goes on, the reason stays
                communication.message_post(
                    body=communication.env._("Late-payment penalties not invoiced: %s", error.args[0]),
                    subtype_xmlid="mail.mt_note",
                )
        return invoices

    def _get_penalty_summary(self):
        """Hook: what the formal notice claims besides the principal, in the reminder's currency.

        Returns a dict with ``principal`` (the amount due), ``interest`` (late-payment penalties of
        art. L441-10 C. com. for professionals, interest at the legal rate for consumers),
        ``indemnity`` (the fixed 40 € recovery indemnity per late invoice, professionals only),
        ``fees`` (the levels' fixed fees), ``total`` (principal + interest + indemnity + fees) and
        ``computed``: False when the penalties have not been computed, the letter then says they are
        due by law and shows no figure for them.

        The penalties come from each invoice's ``get_late_payment_penalty`` on the reminder's date;
        when a rate is missing (a semester not loaded yet), ``computed`` is False."""
        self.ensure_one()
        summary = {"principal": self.amount_due, "interest": 0.0, "indemnity": 0.0, "fees": 0.0}
        try:
            for invoice in self.line_ids.move_id:
                penalty = invoice.get_late_payment_penalty(self.date)
                summary["interest"] += penalty["interest"]
                summary["indemnity"] += penalty["indemnity"]
                summary["fees"] += penalty["fees_amount"]
        except UserError:
            summary.update(interest=0.0, indemnity=0.0, fees=0.0, computed=False)
        else:
            summary["computed"] = True
        summary["total"] = self.currency_id.round(
            summary["principal"] + summary["interest"] + summary["indemnity"] + summary["fees"]
        )
        return summary

    def _update_state_from_dispatches(self):
        """A reminder is sent when no channel is left to send, failed when none of them succeeded."""
        for communication in self.filtered(lambda c: c.state == "queued"):
            states = set(communication.dispatch_ids.mapped("state"))
            if states & {"queued"}:
                continue
            delivered = states & {"sent", "to_call", "awaiting_proof"}
            communication.state = "sent" if delivered else "failed"
            if delivered:
                communication._log_sent()

    def _log_sent(self):
        """Leave the trace of each reminder on the customer and on each invoice it chases."""
        for communication in self._in_company_lang():
            body = communication.env._(
                "Reminder %(name)s sent (%(level)s, %(channels)s): %(amount)s due.",
                name=communication.name,
                level=communication.level_id.name,
                channels=", ".join(
                    communication.dispatch_ids.filtered(lambda d: d.state != "failed").mapped("channel_label")
                ),
                amount=communication._format_amount(communication.amount_due),
            )
            communication.partner_id._message_log(body=body)
            moves = communication.line_ids.move_id
            moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
            if communication.tone == "formal_notice":
                # Interest owed by consumers runs from the formal notice (penalty policies).
                moves.filtered(
                    lambda move: not move.formal_notice_date
                ).formal_notice_date = communication.date

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _default_name(self):
        return "REL/%s/%06d" % (self.date.year, self.id)

    def _in_company_lang(self):
        """Each reminder in its company's language, for the notes written for its staff, whoever
        runs the engine (the scheduled jobs run as a user of another language). Yields them."""
        for communication in self:
            yield communication.with_context(lang=communication.company_id._get_lang())

    def _format_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _get_recipient(self):
        return self.contact_id or self.partner_id
