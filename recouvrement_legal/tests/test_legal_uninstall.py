from odoo.tests import tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..hooks import uninstall_hook
from .legal_common import LegalCommon


@tagged("post_install", "-at_install")
class TestLegalUninstall(LegalCommon):
    def test_uninstall_removes_cases_before_the_procedure_types(self):
        case = self._open_case(self._invoice(3000.0, days_late=60))
        self._procedure(case, self.ip)
        stage = case.stage_id

        uninstall_hook(self.env)
        # what ir.model.data does with the addon's procedure types and stages
        with self.env.cr.savepoint():
            self.ip.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
            stage.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()

        self.assertFalse(self.ip.exists())
        self.assertFalse(case.exists())
