from . import test_credit_exceptions
from . import test_credit_position
from . import test_credit_rules
from . import test_menus
from . import test_pdf_rendering
from . import test_security
