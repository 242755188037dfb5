import logging
from collections import defaultdict

import pytz
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize_all
from odoo.tools.misc import split_every

from .recouvrement_dunning_level import CHANNEL_LABELS

_logger = logging.getLogger(__name__)

LETTER_CHANNELS = ("letter", "registered_letter")

CALL_OUTCOMES = [
    ("promised", "Promised to pay"),
    ("disputed", "Disputes the invoice"),
    ("paid", "Says it is paid"),
    ("callback", "Call back later"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
]


class RecouvrementDunningDispatch(models.Model):
    """One channel of a reminder: an email, an SMS, a letter, a registered letter or a call.

    Sending happens in ``_send`` (batched by the dispatch job): each channel has its own
    ``_send_<channel>`` step; an impossible channel fails with its reason and falls back to the
    level's fallback channel."""

    _name = "recouvrement.dunning.dispatch"
    _description = "Reminder channel"
    _order = "communication_id, id"

    # Channels sent per slice of ``_send``: the slice's letters are printed together first (their
    # PDFs, about half a megabyte each, are held in memory until sent). Can be inherited.
    _letters_per_printing = 100

    communication_id = fields.Many2one(
        "recouvrement.dunning.communication", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="communication_id.company_id", store=True)
    partner_id = fields.Many2one(related="communication_id.partner_id")
    user_id = fields.Many2one(related="communication_id.user_id", store=True)
    priority = fields.Selection(related="communication_id.priority", store=True)
    amount_due = fields.Monetary(related="communication_id.amount_due")
    currency_id = fields.Many2one(related="communication_id.currency_id")
    channel = fields.Selection(CHANNEL_LABELS, required=True, readonly=True)
    channel_label = fields.Char(compute="_compute_channel_label")
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("to_call", "To Call"),
            ("awaiting_proof", "Awaiting Proof of Delivery"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="queued",
        readonly=True,
        index=True,
    )
    failure_reason = fields.Text(readonly=True)
    fallback_of_id = fields.Many2one("recouvrement.dunning.dispatch", "Fallback of", readonly=True)
    recipient = fields.Char(readonly=True, help="Email address, phone number or postal address used.")
    recipient_display = fields.Char(
        "Sent To",
        compute="_compute_recipient_display",
        help="The address used once sent; before that, the one the sending job will use.",
    )
    date_sent = fields.Datetime("Sent on", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "Document", readonly=True)
    tracking_number = fields.Char(help="Registered letter's tracking number.")
    proof_attachment_id = fields.Many2one("ir.attachment", "Proof of Delivery")
    call_outcome = fields.Selection(CALL_OUTCOMES)
    call_note = fields.Text("Call Notes")
    call_script = fields.Html(related="communication_id.level_id.call_script")

    @api.depends("recipient", "channel", "communication_id.contact_id", "communication_id.partner_id")
    def _compute_recipient_display(self):
        for dispatch in self:
            dispatch.recipient_display = dispatch.recipient or dispatch._get_planned_recipient()

    def _compute_channel_label(self):
        labels = dict(self._fields["channel"]._description_selection(self.env))
        for dispatch in self:
            dispatch.channel_label = labels.get(dispatch.channel, "")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if set(vals) & {"attachment_id", "message_id", "recipient", "channel"} and any(
            d.state in ("sent", "failed") for d in self
        ):
            raise UserError(self.env._("A channel that has been sent cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Reminders are never deleted."))

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_confirm_delivery(self):
        """Registered letter: the tracking number and the proof of delivery are recorded."""
        for dispatch in self:
            if dispatch.state != "awaiting_proof":
                raise UserError(self.env._("Only registered letters awaiting their proof can be confirmed."))
            if not dispatch.tracking_number or not dispatch.proof_attachment_id:
                raise UserError(
                    self.env._("Record the tracking number and attach the proof of delivery first.")
                )
            dispatch.proof_attachment_id.write({"res_model": self._name, "res_id": dispatch.id})
            dispatch.state = "sent"
        return True

    def action_log_call(self):
        """Phone call: close the collector's task with the outcome recorded on the channel."""
        for dispatch in self:
            if dispatch.state != "to_call":
                raise UserError(self.env._("This call has already been logged."))
            if not dispatch.call_outcome:
                raise UserError(self.env._("Choose the outcome of the call first."))
            outcome = dict(self._fields["call_outcome"]._description_selection(self.env))[
                dispatch.call_outcome
            ]
            dispatch.communication_id.message_post(
                body=self.env._(
                    "Call: %(outcome)s. %(note)s", outcome=outcome, note=dispatch.call_note or ""
                ),
                subtype_xmlid="mail.mt_note",
            )
            dispatch.communication_id.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
            ).action_feedback(feedback=outcome)
            dispatch.write({"state": "sent", "date_sent": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _cron_send(self, batch_size=200):
        """Send queued channels of released reminders, a bounded batch per call (progress reported).

        Several cron threads or workers may run it at once: each claims its own batch (see
        ``_claim``), so they send disjoint sets and never wait for one another."""
        dispatches = self._claim(limit=batch_size)
        sent = dispatches._send()
        remaining = self.search_count([("state", "=", "queued"), ("communication_id.state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(
            done=len(sent), remaining=max(remaining - len(dispatches - sent), 0)
        )

    def _send(self):
        """Send each dispatch of released reminders in its own savepoint: one customer's failure never
        stops the others. Returns the dispatches processed (those in quiet hours are left queued).

        Only the dispatches this transaction could claim are sent: one that another transaction is
        sending at the same moment is left to it (see ``_claim``)."""
        claimed = self._claim(restrict=True)
        processed = claimed._send_batched()
        for dispatches in split_every(self._letters_per_printing, (claimed - processed).ids, self.browse):
            letters = dispatches._render_letters()
            for dispatch in dispatches:
                if dispatch._in_quiet_hours():
                    continue
                # Failure notes and call to-dos are for the company's staff: in its language, whoever
                # sends (the dispatch job runs as a user of another language); customers get theirs.
                in_company_lang = dispatch.with_context(lang=dispatch.company_id._get_lang())
                send = getattr(in_company_lang, f"_send_{dispatch.channel}")
                try:
                    with self.env.cr.savepoint():
                        send(pdf=letters[dispatch]) if dispatch in letters else send()
                except Exception as error:  # noqa: BLE001 - any failure is recorded on the channel, never lost
                    _logger.warning("Reminder channel %s failed: %s", dispatch.id, error)
                    in_company_lang._fail(str(error), fallback=False)
                processed |= dispatch
        self.communication_id._update_state_from_dispatches()
        return processed

    def _send_batched(self):
        """Pre-step of ``_send``: the channels that go out faster together than one by one (see
        ``_get_batched_channels``), each channel's batch in one savepoint. Returns the dispatches
        sent. The others, and every dispatch of a batch that failed, are then sent one by one by
        ``_send``: one customer's failure never blocks the others."""
        done = self.browse()
        for channel in self._get_batched_channels():
            batch = self.filtered(lambda d, channel=channel: d.channel == channel)._filter_batchable()
            if not batch:
                continue
            try:
                with self.env.cr.savepoint():
                    getattr(batch, f"_send_{channel}_batch")()
            except Exception as error:  # noqa: BLE001 - the batch's dispatches are then sent one by one
                _logger.warning(
                    "Batch of %s reminder channels failed, sent one by one: %s", len(batch), error
                )
                continue
            done |= batch
        return done

    def _get_batched_channels(self):
        """Hook: the channels sent as a batch by ``_send_<channel>_batch``."""
        return ["email", "sms"]

    def _filter_batchable(self):
        """The dispatches a batch can send as they are: one per reminder, a template and a usable
        address, outside the quiet hours. What is left goes through ``_send_<channel>``, which
        records why it cannot be sent and falls back."""
        batchable = self.browse()
        communications = set()
        for dispatch in self:
            communication = dispatch.communication_id
            level = communication.level_id
            template = level.mail_template_id if dispatch.channel == "email" else level.sms_template_id
            if (
                communication.id in communications
                or not template
                or not dispatch._get_batch_address()
                or dispatch._in_quiet_hours()
            ):
                continue
            communications.add(communication.id)
            batchable |= dispatch
        return batchable

    def _claim(self, limit=None, restrict=False):
        """Lock, for this transaction, the queued dispatches of released reminders that no other
        transaction holds, and return them (at most LIMIT; among SELF only when RESTRICT).

        The row locks of the dispatches and of their reminders (``FOR NO KEY UPDATE ... SKIP
        LOCKED``) are held until commit: a concurrent sender skips them instead of sending them a
        second time, and all queued channels of one reminder go to the same sender (the reminder's
        state is written once all of them are sent). Can be inherited to narrow the queue.

        A channel that another sender sent and committed after this transaction began cannot be
        locked here (PostgreSQL refuses it to a repeatable-read transaction): then nothing is
        claimed, and the next call, in a new transaction, sees what is still queued."""
        if restrict and not self:
            return self.browse()
        self.env["recouvrement.dunning.communication"].flush_model(["state"])
        self.flush_model(["state", "communication_id"])
        try:
            with self.env.cr.savepoint(flush=False):
                claimed_ids = self._lock_queued(limit, restrict)
        except SerializationFailure:
            _logger.info("Reminder channels sent meanwhile by another sender: left to the next call")
            return self.browse()
        claimed = self.browse(claimed_ids)
        # another transaction may have sent some since they were read: read them again
        claimed.invalidate_recordset(["state"])
        claimed.communication_id.invalidate_recordset(["state"])
        return claimed

    def _lock_queued(self, limit, restrict):
        self.env.cr.execute(
            SQL(
                """
                SELECT dispatch.id
                  FROM recouvrement_dunning_dispatch dispatch
                  JOIN recouvrement_dunning_communication communication
                    ON communication.id = dispatch.communication_id
                 WHERE dispatch.state = 'queued' AND communication.state = 'queued' %s
              ORDER BY dispatch.communication_id, dispatch.id
                 LIMIT %s
                   FOR NO KEY UPDATE OF dispatch, communication SKIP LOCKED
                """,
                SQL("AND dispatch.id = ANY(%s)", list(self.ids)) if restrict else SQL(),
                limit,
            ),
            log_exceptions=False,  # a serialization failure is expected, and handled by _claim
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _send_email_batch(self):
        """The batch's emails: each level's template rendered for all its reminders at once (the
        mail composer in batch comment mode), each email posted in its reminder's chatter in its
        recipient's language, and all the mails sent together after the commit, through one
        connection to the mail server, instead of one connection per mail."""
        now = fields.Datetime.now()
        messages = self.env["mail.message"]
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        for (template, lang), dispatches in self._grouped_by_template_and_lang("mail_template_id").items():
            communications = dispatches.communication_id
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    lang=lang or self.env.lang,
                    default_composition_mode="comment",
                    default_model=communications._name,
                    default_res_ids=communications.ids,
                    default_template_id=template.id,
                    mail_notify_force_send=False,  # sent below, all together
                )
                .create({"message_type": "comment", "subtype_id": comment})
            )
            _mails, posted = composer._action_send_mail()
            message_of = {message.res_id: message for message in posted}
            for dispatch in dispatches:
                dispatch.write(
                    {
                        "state": "sent",
                        "message_id": message_of[dispatch.communication_id.id].id,
                        "recipient": dispatch.communication_id._get_recipient().email,
                        "date_sent": now,
                    }
                )
            messages |= posted
        # sudo: the notification mails of the messages just posted, as mail_thread sends them
        mails_sudo = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")])
        )
        mails_sudo.send_after_commit()

    def _send_sms_batch(self):
        """The batch's SMS: each level's template rendered for all its reminders at once, each SMS
        posted in its reminder's chatter, and all of them handed to the SMS provider in one call
        (per 500, the ``sms`` module's batch size) instead of one call each."""
        now = fields.Datetime.now()
        messages = self.env["mail.message"]
        for (template, lang), dispatches in self._grouped_by_template_and_lang("sms_template_id").items():
            communications = dispatches.communication_id.with_context(lang=lang or self.env.lang)
            bodies = template.with_context(lang=lang or self.env.lang)._render_field(
                "body", communications.ids, compute_lang=True
            )
            for dispatch in dispatches:
                communication = dispatch.communication_id.with_context(lang=lang or self.env.lang)
                recipient = communication._get_recipient()
                message = communication._message_sms(
                    bodies[communication.id], partner_ids=recipient.ids, put_in_queue=True
                )
                dispatch.write(
                    {
                        "state": "sent",
                        "message_id": message.id,
                        "recipient": recipient.mobile or recipient.phone,
                        "date_sent": now,
                    }
                )
                messages |= message
        self.env.flush_all()
        # sudo: the SMS of the messages just posted, as mail_thread sends them
        self.env["sms.sms"].sudo().search(
            [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
        ).send()

    def _send_email(self):
        recipient = self.communication_id._get_recipient()
        if not recipient.email:
            return self._fail(self.env._("%s has no email address.", recipient.display_name))
        if not email_normalize_all(recipient.email):
            return self._fail(
                self.env._(
                    "%(customer)s has an invalid email address (%(email)s).",
                    customer=recipient.display_name,
                    email=recipient.email,
                )
            )
        template = self.communication_id.level_id.mail_template_id
        message = self.communication_id.with_context(lang=recipient.lang).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.write(
            {
                "state": "sent",
                "message_id": message[:1].id,
                "recipient": recipient.email,
                "date_sent": fields.Datetime.now(),
            }
        )

    def _send_sms(self):
        recipient = self.communication_id._get_recipient()
        number = recipient.mobile or recipient.phone
        if not number:
            return self._fail(self.env._("%s has no mobile number.", recipient.display_name))
        template = self.communication_id.level_id.sms_template_id
        message = self.communication_id.with_context(lang=recipient.lang)._message_sms_with_template(
            template=template, partner_ids=recipient.ids
        )
        self.write(
            {
                "state": "sent",
                "message_id": message[:1].id,
                "recipient": number,
                "date_sent": fields.Datetime.now(),
            }
        )

    def _send_letter(self, state="sent", pdf=None):
        """Print the letter (PDF, when ``_render_letters`` printed it already) and record it."""
        recipient = self.communication_id._get_recipient()
        if not self._has_postal_address(recipient):
            return self._fail(self.env._("%s has no postal address.", recipient.display_name), fallback=False)
        attachment = self._render_letter(pdf)
        self.write(
            {
                "state": state,
                "attachment_id": attachment.id,
                "recipient": recipient._display_address(),
                "date_sent": fields.Datetime.now(),
            }
        )

    def _send_registered_letter(self, pdf=None):
        self._send_letter(state="awaiting_proof", pdf=pdf)

    def _send_phone(self):
        recipient = self.communication_id._get_recipient()
        number = recipient.phone or recipient.mobile
        if not number:
            return self._fail(self.env._("%s has no phone number.", recipient.display_name))
        communication = self.communication_id
        communication.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._(
                "Call %(customer)s about %(amount)s overdue",
                customer=communication.partner_id.display_name,
                amount=communication._format_amount(communication.amount_due),
            ),
            note=communication.level_id.call_script,
            user_id=(communication.user_id or self.env.user).id,
        )
        self.write({"state": "to_call", "recipient": number})

    def _fail(self, reason, fallback=True):
        """Record why the channel could not be used, and queue the level's fallback channel."""
        self.write({"state": "failed", "failure_reason": reason})
        self.communication_id.message_post(body=reason, subtype_xmlid="mail.mt_note")
        fallback_channel = self.communication_id.level_id.fallback_channel
        if not fallback or fallback_channel in ("none", self.channel) or self.fallback_of_id:
            return self.browse()
        if fallback_channel in self.communication_id.dispatch_ids.mapped("channel"):
            return self.browse()
        # Channels are the engine's records, never created by hand: hence sudo.
        substitute = (
            self.sudo()
            .create(
                {
                    "communication_id": self.communication_id.id,
                    "channel": fallback_channel,
                    "fallback_of_id": self.id,
                }
            )
            .sudo(False)
        )
        getattr(substitute, f"_send_{fallback_channel}")()
        return substitute

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_batch_address(self):
        recipient = self.communication_id._get_recipient()
        if self.channel == "email":
            return email_normalize_all(recipient.email) and recipient.email
        return recipient.mobile or recipient.phone

    def _grouped_by_template_and_lang(self, template_field):
        """{(template, recipient's language): dispatches}: what one rendering call can render."""
        return self.grouped(
            lambda d: (d.communication_id.level_id[template_field], d.communication_id._get_recipient().lang)
        )

    def _get_planned_recipient(self):
        """What the channel will be sent to, as ``_send_<channel>`` reads it, or why it cannot be."""
        self.ensure_one()
        recipient = self.communication_id._get_recipient()
        if not recipient:
            return False
        if self.channel == "email":
            return recipient.email or self.env._("no email address")
        if self.channel == "sms":
            return recipient.mobile or recipient.phone or self.env._("no mobile number")
        if self.channel == "phone":
            return recipient.phone or recipient.mobile or self.env._("no phone number")
        if self._has_postal_address(recipient):
            return recipient._display_address(without_company=True).replace("\n", ", ")
        return self.env._("no postal address")

    def _render_letters(self):
        """Print the letters of SELF's letter channels about to be sent, in batches (see
        ``ir.actions.report._render_qweb_pdfs_by_record``): ``{dispatch: PDF bytes}``.

        The letters are grouped as ``_render_letter`` prints each (report, recipient's language,
        company). A letter missing from the result is printed alone by ``_send_letter``, which
        records why it fails; a channel that will not be sent now is not printed."""
        groups = defaultdict(dict)
        for dispatch in self:
            communication = dispatch.communication_id
            recipient = communication._get_recipient()
            if (
                dispatch.channel not in LETTER_CHANNELS
                or dispatch._in_quiet_hours()
                or not self._has_postal_address(recipient)
            ):
                continue
            key = (communication.level_id._get_letter_report(), recipient.lang, communication.company_id)
            groups[key].setdefault(communication.id, dispatch)
        printed = self.env["ir.actions.report"]._render_qweb_pdfs_by_record(
            [(report, list(dispatches), lang) for (report, lang, _company), dispatches in groups.items()]
        )
        return {
            dispatches[res_id]: pdf
            for dispatches, pdfs in zip(groups.values(), printed, strict=True)
            for res_id, pdf in pdfs.items()
        }

    def _render_letter(self, pdf=None):
        """The level's letter as a PDF attachment of the reminder (evidence kept with it); PDF when
        it was printed already (``_render_letters``)."""
        communication = self.communication_id
        if pdf is None:
            report = communication.level_id._get_letter_report()
            recipient = communication._get_recipient()
            pdf, _type = (
                self.env["ir.actions.report"]
                .with_context(lang=recipient.lang)
                ._render_qweb_pdf(report, communication.ids)
            )
        return self.env["ir.attachment"].create(
            {
                "name": f"{communication.name.replace('/', '-')}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": communication._name,
                "res_id": communication.id,
            }
        )

    @api.model
    def _has_postal_address(self, recipient):
        """Whether a letter can be posted to RECIPIENT."""
        return bool(recipient.street and recipient.city)

    def _in_quiet_hours(self):
        """SMS and calls (every channel for consumers) wait outside the company's contact hours."""
        communication = self.communication_id
        if self.channel not in ("sms", "phone") and not communication.consumer:
            return False
        company = communication.company_id
        timezone = pytz.timezone(company.partner_id.tz or self.env.user.tz or "Europe/Paris")
        now = fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(timezone)
        hour = now.hour + now.minute / 60.0
        if now.weekday() == 6 and company.dunning_quiet_sunday:
            return True
        return not company.dunning_contact_hour_from <= hour < company.dunning_contact_hour_to
