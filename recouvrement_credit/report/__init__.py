from . import recouvrement_statement_of_account
