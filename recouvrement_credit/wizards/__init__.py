from . import recouvrement_credit_exception_grant
from . import recouvrement_dunning_preview
from . import account_move_reversal
from . import recouvrement_payment_plan_wizard
