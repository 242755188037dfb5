from odoo import api, fields, models


class RecouvrementPenaltyCharge(models.Model):
    """What a penalty invoice line charged for a late invoice: interest of one item over a period,
    the fixed indemnity, or a fee. Penalty invoices never charge a period, an indemnity or a fee
    twice: the next run starts after the last period charged.

    A charge counts while its penalty invoice is not cancelled; deleting the (draft) penalty invoice
    deletes its charges, so both free the periods again."""

    _name = "recouvrement.penalty.charge"
    _inherit = ["recouvrement.xlsx.export.mixin"]
    _description = "Late-payment penalty charged"
    _order = "move_id, move_line_id, date_from, id"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", "Late Invoice", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    move_line_id = fields.Many2one(
        "account.move.line", "Receivable Item", index=True, ondelete="cascade", check_company=True
    )
    kind = fields.Selection(
        [("interest", "Interest"), ("indemnity", "Fixed recovery indemnity"), ("fee", "Fee")],
        required=True,
    )
    name = fields.Char("Label", required=True)
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary()
    penalty_line_id = fields.Many2one(
        "account.move.line", "Penalty Invoice Line", required=True, index=True, ondelete="cascade"
    )
    penalty_move_id = fields.Many2one(
        related="penalty_line_id.move_id", string="Penalty Invoice", store=True, index=True
    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_charged(self, moves):
        """What is already charged for MOVES, by move id: {'until': {item id: last date charged},
        'indemnity': bool, 'fees': {labels}}. Charges of cancelled penalty invoices do not count."""
        charged = {move.id: {"until": {}, "indemnity": False, "fees": set()} for move in moves}
        domain = [("move_id", "in", moves.ids), ("penalty_move_id.state", "!=", "cancel")]
        groups = self._read_group(domain, ["move_id", "move_line_id", "kind", "name"], ["date_to:max"])
        for move, item, kind, name, date_to in groups:
            entry = charged[move.id]
            if kind == "interest":
                entry["until"][item.id] = max(date_to, entry["until"].get(item.id, date_to))
            elif kind == "indemnity":
                entry["indemnity"] = True
            else:
                entry["fees"].add(name)
        return charged

    def _get_xlsx_table_columns(self):
        """The penalties charged: invoice, customer, late invoice, what and for when, amount, and
        whether the penalty invoice is paid."""
        return [
            ("penalty_move_id", None, False),
            ("penalty_move_id.invoice_date", self.env._("Penalty Invoice Date"), False),
            ("move_id.partner_id", self.env._("Customer"), False),
            ("move_id", None, False),
            ("kind", None, False),
            ("name", None, False),
            ("date_from", None, False),
            ("date_to", None, False),
            ("amount", None, True),
            ("currency_id", None, False),
            ("penalty_move_id.state", self.env._("Penalty Invoice Status"), False),
            ("penalty_move_id.payment_state", self.env._("Payment Status"), False),
        ]
