"""Fixtures for the repository-level tests (run by pytest with pytest-odoo, see README)."""

import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def odoo_rc(request):
    """The Odoo configuration file the test command wrote for its PostgreSQL cluster."""
    path = request.config.getoption("--odoo-config", default=None)
    if not path:
        pytest.fail("pass --odoo-config (the test command does): these tests create their own databases")
    return path
