"""Base classes for the Odoo tests of this folder (run by pytest-odoo on the test database)."""

from odoo.tests import TransactionCase


class CrossAddonCase(TransactionCase):
    """A TransactionCase outside any addon. Odoo tags only the classes of ``odoo.addons.*``
    modules, and its setUp reads those tags, so they are set here."""

    test_tags = frozenset({"standard", "post_install"})
    test_module = "recouvrement"
    test_sequence = 0
