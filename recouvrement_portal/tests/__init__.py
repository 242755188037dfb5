from . import test_portal_invoice
