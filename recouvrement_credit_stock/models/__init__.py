from . import recouvrement_credit_exception
from . import stock_picking
