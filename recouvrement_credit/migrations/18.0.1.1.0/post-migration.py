"""18.0.1.1.0 brings the dunning engine: companies created before it get the standard scenario as
their default, as new installs do (the data file's function runs at install only)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._dunning_set_default_scenario()
