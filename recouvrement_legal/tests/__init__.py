from . import test_legal_install
