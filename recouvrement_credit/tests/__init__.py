from . import test_menus
from . import test_pdf_rendering
from . import test_security
