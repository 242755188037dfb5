from odoo import fields, models


class RecouvrementLegalStage(models.Model):
    """A stage of a legal case (dossier contentieux) on the kanban board: amicable phase, court,
    enforceable title, enforcement, insolvency, closed. Users add their own."""

    _name = "recouvrement.legal.stage"
    _description = "Legal case stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean("Folded in Kanban")
    is_closed = fields.Boolean("Closing Stage", help="Cases move here when they are closed.")
    description = fields.Text(translate=True)
