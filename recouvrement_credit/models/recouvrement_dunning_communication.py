from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime
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
    _inherit = ["mail.thread", "mail.activity.mixin", "recouvrement.xlsx.export.mixin"]
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
    # restrict: deleting a scenario cascades to its levels in the database, never to its reminders
    level_id = fields.Many2one(
        "recouvrement.dunning.level", required=True, readonly=True, index=True, ondelete="restrict"
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
    max_days_late = fields.Integer("Days Late", readonly=True, aggregator="max")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_company = fields.Monetary(
        "Amount Due (Company Currency)", readonly=True, currency_field="company_currency_id"
    )
    priority_score = fields.Float(
        readonly=True, help="Amount due (company currency) × days late: the collectors' worklist order."
    )
    priority = fields.Selection(PRIORITIES, readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Collector", readonly=True, index=True)
    show_penalties = fields.Boolean(related="level_id.show_penalties")
    dispatch_summary = fields.Char(
        "What Happens",
        compute="_compute_dispatch_summary",
        help="Each channel's recipient and state, and when the sending job sends what is queued.",
    )
    preview_subject = fields.Char(compute="_compute_preview", string="Email Subject")
    preview_body = fields.Html(compute="_compute_preview", string="Email", sanitize=False)
    has_letter = fields.Boolean(compute="_compute_preview")

    def init(self):
        res = super().init()
        # Reminders created before amount_company existed: priority_score is amount_company × days
        # late, so it gives the amount back exactly when late; otherwise the amount due, when in
        # the company's currency. Cheap: only rows still empty.
        self.env.cr.execute(
            SQL(
                """
                UPDATE recouvrement_dunning_communication comm
                   SET amount_company = CASE WHEN comm.max_days_late > 0
                                             THEN comm.priority_score / comm.max_days_late
                                             ELSE comm.amount_due END
                  FROM res_company company
                 WHERE company.id = comm.company_id AND comm.amount_company IS NULL
                   AND (comm.max_days_late > 0 OR comm.currency_id = company.currency_id)
                """
            )
        )
        return res

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("scenario_id.customer_type")
    def _compute_consumer(self):
        for communication in self:
            communication.consumer = communication.scenario_id.customer_type == "b2c"

    @api.depends("state", "dispatch_ids.state", "dispatch_ids.recipient_display")
    @api.depends_context("lang", "tz")
    def _compute_dispatch_summary(self):
        next_send = self._get_next_send_date()
        for communication in self:
            communication.dispatch_summary = communication._describe_dispatches(next_send)

    @api.depends("level_id", "contact_id", "partner_id")
    def _compute_preview(self):
        for communication in self:
            communication.update(communication._prepare_preview())

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
        communications.filtered(lambda c: not c.name)._set_default_names()
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

    def action_preview_approve(self):
        """Show what will go out (the email as the customer reads it, the letter to print) before
        approving."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve and Send %(name)s", name=self.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "recouvrement_credit.recouvrement_dunning_communication_view_form_approve"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_preview_letter(self):
        """The letter of this reminder's level, rendered for it (nothing is sent)."""
        self.ensure_one()
        return self.level_id._get_letter_report().report_action(self)

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

    def _get_xlsx_table_columns(self):
        """Who got what, at which level, through which channel."""
        return [
            ("name", self.env._("Reminder"), False),
            ("date", None, False),
            ("run_id", self.env._("Dunning Run"), False),
            ("partner_id", None, False),
            ("contact_id", None, False),
            ("level", None, False),
            ("level_id", self.env._("Level"), False),
            ("dispatch_ids.channel", self.env._("Channels"), False),
            ("state", None, False),
            ("move_ids", None, False),
            ("max_days_late", None, False),
            ("amount_due", None, True),
            ("currency_id", None, False),
            ("amount_company", None, True),
            ("user_id", None, False),
        ]

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
        when a rate is missing (a semester not loaded yet), ``computed`` is False: interest and fees
        are not stated, the fixed indemnity (which needs no rate) still is."""
        self.ensure_one()
        summary = {"principal": self.amount_due, "interest": 0.0, "indemnity": 0.0, "fees": 0.0}
        invoices = self.line_ids.move_id
        try:
            for invoice in invoices:
                penalty = invoice.get_late_payment_penalty(self.date)
                summary["interest"] += self._convert_to_reminder_currency(invoice, penalty["interest"])
                summary["indemnity"] += self._convert_to_reminder_currency(invoice, penalty["indemnity"])
                summary["fees"] += self._convert_to_reminder_currency(invoice, penalty["fees_amount"])
        except UserError:
            indemnity = sum(
                self._convert_to_reminder_currency(invoice, invoice.get_late_payment_indemnity(self.date))
                for invoice in invoices
            )
            summary.update(interest=0.0, indemnity=indemnity, fees=0.0, computed=False)
        else:
            summary["computed"] = True
        summary["indemnity"] = self.currency_id.round(summary["indemnity"])
        summary["total"] = self.currency_id.round(
            summary["principal"] + summary["interest"] + summary["indemnity"] + summary["fees"]
        )
        return summary

    def _convert_to_reminder_currency(self, invoice, amount):
        return invoice.currency_id._convert(amount, self.currency_id, self.company_id, self.date)

    def _get_portal_payment_url(self):
        """Hook: the address where the customer pays these invoices online, printed on letters next
        to the bank details; False here. The portal addon overrides it (payment link of the
        customer's portal)."""
        self.ensure_one()
        return False

    def _update_state_from_dispatches(self):
        """A reminder is sent when no channel is left to send, failed when none of them succeeded."""
        sent = failed = self.browse()
        for communication in self.filtered(lambda c: c.state == "queued"):
            states = set(communication.dispatch_ids.mapped("state"))
            if states & {"queued"}:
                continue
            if states & {"sent", "to_call", "awaiting_proof"}:
                sent |= communication
            else:
                failed |= communication
        failed.state = "failed"
        sent.state = "sent"
        sent._log_sent()

    def _log_sent(self):
        """Leave the trace of each reminder on the customer and on each invoice it chases, the
        notes of the whole batch written together (see ``_log_notes``)."""
        notes = []
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
            moves = communication.line_ids.move_id
            notes += [(communication.partner_id, body)] + [(move, body) for move in moves]
            if communication.tone == "formal_notice":
                # Interest owed by consumers runs from the formal notice (penalty policies).
                moves.filtered(
                    lambda move: not move.formal_notice_date
                ).formal_notice_date = communication.date
        self._log_notes(notes)

    @api.model
    def _log_notes(self, notes):
        """Log NOTES, a list of (record, body), with one ``_message_log_batch`` per model: a record
        noted twice (a customer reminded in two currencies) gets its second note in a next round."""
        rounds = []
        for record, body in notes:
            free = next((bodies for bodies in rounds if record.id not in bodies.get(record._name, {})), None)
            if free is None:
                free = {}
                rounds.append(free)
            free.setdefault(record._name, {})[record.id] = body
        for bodies_by_model in rounds:
            for model, bodies in bodies_by_model.items():
                self.env[model].browse(list(bodies))._message_log_batch(bodies=bodies)

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    @api.model
    def _get_name_sql(self, date, record_id):
        """SQL of a reminder's number, REL/<year of DATE>/<RECORD_ID on 6 digits> (DATE, RECORD_ID:
        SQL expressions): the one definition, for the run's bulk insert and the ORM's creations."""
        return SQL("'REL/' || EXTRACT(YEAR FROM %s) || '/' || LPAD(%s::text, 6, '0')", date, record_id)

    def _set_default_names(self):
        if not self:
            return
        self.flush_recordset(["date"])
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET name = %s WHERE id = ANY(%s)",
                SQL.identifier(self._table),
                self._get_name_sql(SQL("date"), SQL("id")),
                self.ids,
            )
        )
        self.invalidate_recordset(["name"])

    def _get_next_send_date(self):
        """When the sending job runs next (it sends the queued channels), or False."""
        cron = self.env.ref("recouvrement_credit.ir_cron_dunning_dispatch", raise_if_not_found=False)
        cron = cron and cron.sudo()  # sudo: collectors may read when the job runs, not the job itself
        return cron.nextcall if cron and cron.active else False

    def _describe_dispatches(self, next_send):
        """What happened and what will happen to this reminder, in one line. Can be inherited."""
        self.ensure_one()
        _ = self.env._
        states = dict(
            self.env["recouvrement.dunning.dispatch"]._fields["state"]._description_selection(self.env)
        )
        channels = "; ".join(
            _(
                "%(channel)s to %(recipient)s: %(state)s",
                channel=dispatch.channel_label,
                recipient=dispatch.recipient_display or "?",
                state=states.get(dispatch.state, dispatch.state),
            )
            for dispatch in self.dispatch_ids
        )
        if self.state == "to_review":
            head = _("Waiting for approval: nothing goes out before.")
        elif self.state == "queued" and next_send:
            head = _(
                "Queued: the sending job sends it on %(date)s.",
                date=format_datetime(self.env, next_send, dt_format="short"),
            )
        elif self.state == "queued":
            head = _("Queued: the sending job is disabled, use Send Now.")
        elif self.state == "cancelled":
            return _("Cancelled: nothing was sent.")
        else:
            head = ""
        return " ".join(part for part in (head, channels) if part)

    def _prepare_preview(self):
        """The email as the recipient will read it (in their language) and whether a letter goes out."""
        self.ensure_one()
        level = self.level_id
        values = {"preview_subject": False, "preview_body": False, "has_letter": False}
        if not self.id or not level:
            return values
        values["has_letter"] = bool(level.channel_letter or level.channel_registered_letter)
        template = level.mail_template_id if level.channel_email else False
        if template:
            # sudo: rendering the level's template reads the company and customer as the mail does
            template = template.sudo().with_context(lang=self._get_recipient().lang or self.env.lang)
            values["preview_subject"] = template._render_field("subject", self.ids)[self.id]
            values["preview_body"] = template._render_field("body_html", self.ids)[self.id]
        return values

    def _in_company_lang(self):
        """Each reminder in its company's language, for the notes written for its staff, whoever
        runs the engine (the scheduled jobs run as a user of another language). Yields them."""
        for communication in self:
            yield communication.with_context(lang=communication.company_id._get_lang())

    def _format_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _get_recipient(self):
        return self.contact_id or self.partner_id
