from . import recouvrement_credit_exception_grant
from . import recouvrement_dunning_preview
