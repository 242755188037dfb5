from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    legal_case_ids = fields.One2many("recouvrement.legal.case", "partner_id", "Legal Cases")
    legal_case_count = fields.Integer(
        compute="_compute_legal_case_count",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
    )
    legal_prescription_date = fields.Date(
        "Next Prescription",
        compute="_compute_legal_prescription_date",
        groups="recouvrement_credit.group_user,sales_team.group_sale_salesman",
        help="The earliest day an open invoice of the customer becomes time-barred.",
    )
    legal_insolvency_judgment_date = fields.Date("Opening Judgment", tracking=True)
    legal_insolvency_publication_date = fields.Date("BODACC Publication", tracking=True)
    legal_insurer_notice_days = fields.Integer(
        "Claim Notification Delay (Days)",
        help="For a credit insurer: the policy's delay after the due date to notify an unpaid invoice; "
        "missing it loses the cover.",
    )

    def _compute_legal_case_count(self):
        counts = dict(
            self.env["recouvrement.legal.case"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.legal_case_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_legal_prescription_date(self):
        dates = dict(
            self.env["account.move"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "in", self.env.companies.ids),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("legal_prescription_date", "!=", False),
                ],
                ["commercial_partner_id"],
                ["legal_prescription_date:min"],
            )
        )
        for partner in self:
            partner.legal_prescription_date = dates.get(partner.commercial_partner_id, False)

    def action_open_legal_cases(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_legal.recouvrement_legal_case_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_open_legal_case(self):
        """From a customer: a case with all its open receivable items in the current company."""
        self.ensure_one()
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ]
        )
        cases = self.env["recouvrement.legal.case"]._open_for_items(items)
        return cases._get_records_action(name=self.env._("Legal Cases"))
