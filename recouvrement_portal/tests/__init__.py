from . import test_portal_invoice
from . import test_portal_rules
from . import test_portal_http
from . import test_portal_reminders
from . import test_portal_browser
from . import test_portal_tours
from . import test_portal_chatter
from . import test_portal_short_link
