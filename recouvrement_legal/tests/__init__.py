from . import test_legal_escalation
from . import test_legal_calendar
from . import test_legal_case
from . import test_legal_procedures
from . import test_legal_prescription
from . import test_legal_accounting
from . import test_legal_evidence
from . import test_legal_candidates
