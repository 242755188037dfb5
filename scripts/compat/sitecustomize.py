"""Backfill, in Odoo 18.0 builds older than early 2025, the names OCA queue_job 18.0 uses.

Every queue_job 18.0 release on PyPI marks its ``create`` with ``@api.private`` (not callable over
RPC), and its test helpers import ``odoo.tests.common.SETATTR_SOURCES``; both came with later 18.0
builds. scripts/test.sh and the queue_job benchmark put this folder on PYTHONPATH only when the Odoo
they run lacks them: Python imports this file at start-up, and each name is added, as newer Odoo
18.0 defines it, the moment its module is first imported. Nothing else is changed.
"""

import importlib.abc
import importlib.machinery
import sys


def _private(method):
    method._api_private = True
    return method


BACKFILLS = {
    "odoo.api": {"private": lambda: _private},
    "odoo.tests.common": {"SETATTR_SOURCES": dict},
}


class _Backfill(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in BACKFILLS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_backfill(module):
            exec_module(module)
            for name, make in BACKFILLS[fullname].items():
                if not hasattr(module, name):
                    setattr(module, name, make())

        spec.loader.exec_module = exec_and_backfill
        return spec


sys.meta_path.insert(0, _Backfill())
