from . import test_legal_portal
