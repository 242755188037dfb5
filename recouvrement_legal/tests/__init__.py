from . import test_legal_escalation
