from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

TONES = [
    ("courteous", "Courteous"),
    ("firm", "Firm"),
    ("formal_notice", "Formal notice"),
]
# The channels of a reminder, in the order of dispatch: the one definition the levels, the channel
# records (dispatches), the fallbacks and the run's SQL read.
CHANNEL_LABELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("letter", "Letter"),
    ("registered_letter", "Registered letter"),
    ("phone", "Phone call"),
]
# Channel -> boolean field of the level that enables it (same order).
CHANNELS = {channel: f"channel_{channel}" for channel, _label in CHANNEL_LABELS}
# What replaces a channel that is impossible for a customer (no email address, no mobile number).
FALLBACK_CHANNELS = [
    *((channel, label) for channel, label in CHANNEL_LABELS if channel in ("letter", "phone")),
    ("none", "None"),
]


class RecouvrementDunningLevel(models.Model):
    """One step of a dunning scenario: when it applies (days from the due date), how it speaks
    (tone) and through which channels, and what else it triggers (credit block through the level
    number, legal handover, penalties)."""

    _name = "recouvrement.dunning.level"
    _description = "Dunning level"
    _order = "scenario_id, sequence, day_offset, id"
    _check_company_auto = True

    scenario_id = fields.Many2one(
        "recouvrement.dunning.scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scenario_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    level = fields.Integer(
        compute="_compute_level",
        store=True,
        help="0 for reminders before the due date, then 1, 2… Credit rules on the dunning level and the "
        "customer's credit position use this number.",
    )
    day_offset = fields.Integer(
        "Days from Due Date",
        required=True,
        help="Days after the due date when the level applies; negative for a courtesy reminder before it.",
    )
    min_days_since_last = fields.Integer(
        "Minimum Days since Last Reminder",
        default=5,
        help="An item moves to this level only this many days after its previous reminder.",
    )
    tone = fields.Selection(TONES, required=True, default="courteous")
    channel_email = fields.Boolean("Email")
    channel_sms = fields.Boolean("SMS")
    channel_letter = fields.Boolean("Letter")
    channel_registered_letter = fields.Boolean(
        "Registered Letter",
        help="Letter with acknowledgement of receipt: record its tracking number and "
        "the proof of delivery on the reminder.",
    )
    channel_phone = fields.Boolean("Phone Call", help="A call scheduled for the customer's collector.")
    mail_template_id = fields.Many2one(
        "mail.template",
        "Email Template",
        domain=[("model", "=", "recouvrement.dunning.communication")],
    )
    sms_template_id = fields.Many2one(
        "sms.template", "SMS Template", domain=[("model", "=", "recouvrement.dunning.communication")]
    )
    letter_report_id = fields.Many2one(
        "ir.actions.report",
        "Letter Template",
        domain=[("model", "=", "recouvrement.dunning.communication")],
        help="Printed for letters and registered letters.",
    )
    call_script = fields.Html(translate=True, help="What the collector says and asks on the phone.")
    fallback_channel = fields.Selection(
        FALLBACK_CHANNELS,
        default="letter",
        required=True,
        help="Used when a channel is impossible (no email address, no mobile number): the reason is "
        "recorded on the reminder either way.",
    )
    review_required = fields.Boolean(
        "Review before Sending", help="Reminders of this level wait for a collector's approval."
    )
    show_penalties = fields.Boolean(
        "Recall Penalties",
        help="The reminder states the late-payment penalties and the fixed recovery indemnity.",
    )
    apply_penalties = fields.Boolean(
        "Invoice Penalties", help="Reaching this level invoices the late-payment penalties due so far."
    )
    propose_legal = fields.Boolean(
        "Propose Legal Handover", help="Reaching this level proposes the customer's items for legal action."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    fee_amount = fields.Monetary("Fixed Fee", help="Charged with the penalties when this level is reached.")
    fee_warning = fields.Char(compute="_compute_fee_warning")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("scenario_id.level_ids.day_offset", "scenario_id.level_ids.sequence")
    def _compute_level(self):
        for scenario in self.scenario_id:
            number = 0
            for level in scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.day_offset, lvl.id)):
                if level.day_offset > 0:
                    number += 1
                level.level = number if level.day_offset > 0 else 0

    def _compute_currency_id(self):
        for level in self:
            level.currency_id = (level.company_id or self.env.company).currency_id

    @api.depends("fee_amount")
    def _compute_fee_warning(self):
        """Fees on top of the 40 € indemnity are owed by a business only on justification."""
        for level in self:
            level.fee_warning = level.fee_amount > 0 and self.env._(
                "Business customers owe a fixed recovery indemnity of 40 € per invoice (C. com. L441-10, "
                "D441-5); a fee on top of it is owed only on justification of the recovery costs "
                "incurred. Consumers are never charged it."
            )

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("day_offset", "sequence", "scenario_id")
    def _check_offsets_increasing(self):
        for scenario in self.scenario_id:
            offsets = scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id)).mapped("day_offset")
            if any(later <= earlier for earlier, later in pairwise(offsets)):
                raise ValidationError(
                    self.env._(
                        "Scenario %(scenario)s: the days from the due date must strictly increase from one "
                        "level to the next (found %(offsets)s).",
                        scenario=scenario.name,
                        offsets=", ".join(str(offset) for offset in offsets),
                    )
                )

    @api.constrains("fee_amount", "min_days_since_last")
    def _check_amounts(self):
        for level in self:
            if level.currency_id.compare_amounts(level.fee_amount, 0) < 0:
                raise ValidationError(
                    self.env._("Level %(level)s: its fixed fee cannot be negative.", level=level.name)
                )
            if level.min_days_since_last < 1:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the days between two reminders must be at least 1.",
                        level=level.name,
                    )
                )

    # scenario_id: required, hence written on create, when no channel field may be given at all
    @api.constrains(
        "scenario_id", *CHANNELS.values(), "mail_template_id", "sms_template_id", "letter_report_id"
    )
    def _check_channels(self):
        for level in self:
            if not level._get_channels():
                raise ValidationError(
                    self.env._("Level %(level)s: choose at least one channel.", level=level.name)
                )
            needs = [
                (level.channel_email and not level.mail_template_id, self.env._("an email template")),
                (level.channel_sms and not level.sms_template_id, self.env._("an SMS template")),
                (
                    (level.channel_letter or level.channel_registered_letter) and not level.letter_report_id,
                    self.env._("a letter"),
                ),
            ]
            for missing, what in needs:
                if missing:
                    raise ValidationError(
                        self.env._(
                            "Level %(level)s: its channels need %(what)s.", level=level.name, what=what
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["recouvrement.dunning.communication"].search_count(
            [("level_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                self.env._("Reminders were sent at this level: change the scenario instead of deleting it.")
            )

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_channels(self):
        """The level's channels, in dispatch order."""
        self.ensure_one()
        return [channel for channel, field in CHANNELS.items() if self[field]]

    def _get_letter_report(self):
        """The letter printed for this level, also when a letter replaces an impossible channel."""
        self.ensure_one()
        return self.letter_report_id or self.env.ref("recouvrement_credit.action_report_dunning_letter")

    def _get_templates_missing_language(self, lang):
        """The level's email/SMS templates that have no text of their own in LANG."""
        self.ensure_one()
        if lang in (False, "en_US"):
            return []
        missing = []
        for template, field in ((self.mail_template_id, "body_html"), (self.sms_template_id, "body")):
            if not template:
                continue
            template.flush_recordset([field])
            rows = self.env.execute_query(
                SQL(
                    "SELECT %s ? %s FROM %s WHERE id = %s",
                    SQL.identifier(field),
                    lang,
                    SQL.identifier(template._table),
                    template.id,
                )
            )
            if not rows[0][0]:
                missing.append(template)
        return missing
