from . import recouvrement_legal_case_close
