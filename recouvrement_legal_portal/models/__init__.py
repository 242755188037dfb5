from . import recouvrement_legal_case
from . import recouvrement_portal_statement
