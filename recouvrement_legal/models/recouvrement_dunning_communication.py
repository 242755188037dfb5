from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError


class RecouvrementDunningCommunication(models.Model):
    _inherit = "recouvrement.dunning.communication"

    legal_handover = fields.Selection(
        [("proposed", "Proposed"), ("opened", "Case Opened")],
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    legal_case_id = fields.Many2one("recouvrement.legal.case", readonly=True, copy=False)
    legal_prescribing = fields.Boolean(
        "Prescribing Soon",
        readonly=True,
        copy=False,
        help="Some items become time-barred soon: the legal handover is proposed whatever the level.",
    )

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_legal_case(self):
        """The reviewed reminder → a legal case with its items still open."""
        self.ensure_one()
        if self.legal_case_id:
            raise UserError(self.env._("A legal case was already opened from this reminder."))
        case = self.env["recouvrement.legal.case"]._open_for_items(
            self.line_ids.move_line_id, communication=self
        )
        self.write({"legal_handover": "opened", "legal_case_id": case[:1].id})
        self.activity_ids.filtered(lambda a: a.res_model == self._name).action_feedback(
            feedback=self.env._("Legal case %(case)s opened.", case=case[:1].name)
        )
        return case._get_records_action()

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _on_queued(self):
        """Besides the level's handover, items prescribing soon propose it whatever the level."""
        res = super()._on_queued()
        prescribing = self.filtered(lambda c: not c.level_id.propose_legal and c._has_items_prescribing())
        if prescribing:
            prescribing.legal_prescribing = True
            prescribing._propose_legal_handover()
        return res

    def _propose_legal_handover(self):
        """The legal addon's handover, instead of the note alone: the credit manager gets an
        activity to open a legal case from the reminder (Open a Legal Case), the customer keeps a
        note. Logged, not posted: the collector approving the reminder may not write on customers."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for communication in self.filtered(lambda c: not c.legal_handover):
            communication.partner_id._message_log(
                body=self.env._(
                    "Dunning level %(level)s reached: the customer's overdue items are proposed for legal "
                    "action (%(amount)s).",
                    level=communication.level_id.name,
                    amount=communication._format_amount(communication.amount_due),
                )
            )
            communication.legal_handover = "proposed"
            manager = communication._get_legal_manager()
            communication.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Open a legal case?"),
                note=self.env._(
                    "The customer's overdue items (%(amount)s) are proposed for legal action.",
                    amount=communication._format_amount(communication.amount_due),
                ),
                user_id=manager.id,
            )
        return True

    def _has_items_prescribing(self):
        self.ensure_one()
        limit = self.date + timedelta(days=self.company_id.legal_prescription_alert_days)
        return any(
            move.legal_prescription_date and move.legal_prescription_date <= limit
            for move in self.line_ids.move_id
        )

    def _get_legal_manager(self):
        manager = self.company_id.credit_manager_id
        if not manager:
            group = self.env.ref("recouvrement_credit.group_manager")
            manager = group.users.filtered(
                lambda u: self.company_id in u.company_ids and u.active and not u.share
            )[:1]
        return manager or self.env.user
