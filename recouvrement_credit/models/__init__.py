from . import recouvrement_credit_position
from . import recouvrement_credit_rule
from . import recouvrement_credit_exception
from . import recouvrement_credit_check_mixin
from . import res_partner
from . import sale_order
from . import account_move
from . import account_partial_reconcile
