from . import recouvrement_statement_of_account
from . import recouvrement_aged_balance_report
