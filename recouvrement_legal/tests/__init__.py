from . import test_legal_install
from . import test_legal_candidates
