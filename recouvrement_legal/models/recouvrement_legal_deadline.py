"""The deadlines of the legal cases: computed from the procedures' dates by the deadline rules,
shown on the case, in the Deadlines agenda, and as activities of the case's owner."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date

from . import legal_calendar


class RecouvrementLegalDeadline(models.Model):
    _name = "recouvrement.legal.deadline"
    _description = "Legal deadline"
    _order = "date_deadline, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    procedure_id = fields.Many2one(
        "recouvrement.legal.procedure", required=True, ondelete="cascade", index=True
    )
    case_id = fields.Many2one(related="procedure_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="procedure_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="case_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="case_id.user_id", store=True, string="Owner")
    rule_id = fields.Many2one("recouvrement.legal.deadline.rule", required=True, ondelete="cascade")
    legal_basis = fields.Char(related="rule_id.legal_basis")
    party = fields.Selection(related="rule_id.party", store=True)
    critical = fields.Boolean(related="rule_id.critical", store=True)
    date_start = fields.Date("Runs From")
    date_deadline = fields.Date("Last Day", index=True)
    date_alert = fields.Date("Alert From", compute="_compute_date_alert", store=True, index=True)
    non_working_end = fields.Boolean(
        compute="_compute_date_alert",
        store=True,
        help="Without the extension of art. 642 CPC the deadline would end on a Saturday, a Sunday or a "
        "public holiday.",
    )
    state = fields.Selection(
        [
            ("pending", "Running"),
            ("met", "Met"),
            ("missed", "Missed"),
            ("elapsed", "Window Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    days_left = fields.Integer(compute="_compute_days_left")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("date_deadline", "rule_id.alert_days", "date_start")
    def _compute_date_alert(self):
        for deadline in self:
            end = deadline.date_deadline
            deadline.date_alert = end and end - timedelta(days=deadline.rule_id.alert_days)
            deadline.non_working_end = bool(end and end != deadline._get_unextended_end())

    @api.depends_context("date")
    def _compute_days_left(self):
        today = fields.Date.context_today(self)
        for deadline in self:
            deadline.days_left = (deadline.date_deadline - today).days if deadline.date_deadline else 0

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_mark_met(self):
        self.filtered(lambda d: d.state == "pending").state = "met"
        self._sync_activities()
        return True

    def action_open_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "recouvrement.legal.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _sync_activities(self):
        """One activity of the case's owner per running deadline, due on its last day."""
        for deadline in self:
            running = deadline.state == "pending" and deadline.date_deadline and deadline.case_id.user_id
            activity = deadline.activity_id
            if not running:
                if activity:
                    activity.unlink()
                continue
            vals = {
                "summary": deadline._get_activity_summary(),
                "date_deadline": deadline._get_activity_date(),
                "user_id": deadline.case_id.user_id.id,
            }
            if activity:
                activity.write({**vals, "activity_type_id": deadline._get_activity_type().id})
            else:
                deadline.activity_id = deadline.case_id.activity_schedule(
                    activity_type_id=deadline._get_activity_type().id, note=deadline.legal_basis or "", **vals
                )

    def _get_activity_date(self):
        """A deadline that loses a right when missed is due from its alert date, so that it is
        late in the owner's activities before it is too late; the others on their last day."""
        if self.critical and self.date_alert:
            return min(self.date_alert, self.date_deadline)
        return self.date_deadline

    def _get_activity_type(self):
        if self.critical:
            return self.env.ref("mail.mail_activity_data_warning")
        return self.env.ref("mail.mail_activity_data_todo")

    def _get_activity_summary(self):
        if self.critical:
            return self.env._(
                "Right at stake – %(deadline)s: last day %(date)s (%(procedure)s)",
                deadline=self.name,
                date=format_date(self.env, self.date_deadline),
                procedure=self.procedure_id.type_id.name,
            )
        return self.env._(
            "%(deadline)s: %(date)s (%(procedure)s)",
            deadline=self.name,
            date=format_date(self.env, self.date_deadline),
            procedure=self.procedure_id.type_id.name,
        )

    @api.model
    def _cron_mark_missed(self):
        """Running deadlines past their last day: ours are missed, the debtor's windows closed."""
        today = fields.Date.context_today(self)
        past = self.search([("state", "=", "pending"), ("date_deadline", "<", today)])
        for deadline in past:
            deadline.state = "missed" if deadline.party == "us" else "elapsed"
            if deadline.state == "missed":
                deadline.case_id.message_post(
                    body=self.env._(
                        "Deadline missed: %(deadline)s ended on %(date)s.",
                        deadline=deadline.name,
                        date=format_date(self.env, deadline.date_deadline),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        past._sync_activities()

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _get_unextended_end(self):
        procedure, rule = self.procedure_id, self.rule_id
        start = self.date_start
        if not start or not rule:
            return self.date_deadline
        delay = procedure._get_deadline_delay(rule)
        months, days = (delay, 0) if rule.unit == "months" else (0, delay)
        return legal_calendar.deadline(start, months, days, extend=False)
