from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Written in bulk by the dunning run (SQL), read by its next run: the item's dunning state.
    dunning_level_id = fields.Many2one(
        "recouvrement.dunning.level", readonly=True, copy=False, index="btree_not_null"
    )
    dunning_date = fields.Date("Last Reminder", readonly=True, copy=False)
