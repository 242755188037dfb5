from . import test_portal_home
