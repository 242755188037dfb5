from . import recouvrement_legal_case_close
from . import recouvrement_legal_doubtful
from . import recouvrement_legal_recovery
