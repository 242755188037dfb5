from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.recouvrement_credit.tests.common import PatientBrowserMixin

from .portal_common import PortalCommon

# The page and the web client's services are up (the tour service is the last to start): code run
# earlier could end the test while the client still fetches, and its failure logged an error.
READY = "document.readyState === 'complete' && typeof odoo.isTourReady === 'function'"


@tagged("post_install", "-at_install")
class TestPortalBrowser(PatientBrowserMixin, PortalCommon, HttpCase):
    """The pages in headless Chromium: the no-login link flow, the statement of a signed-in contact."""

    def test_link_without_login_in_browser(self):
        token = self.env["recouvrement.portal.link"]._issue(self.customer, self.company)
        date = fields.Date.to_string(self.today + timedelta(days=7))
        code = f"""
            const form = document.querySelector('form.o_collections_promise_form');
            if (!document.querySelector('.o_collections_items') || !form) {{
                console.error('statement not rendered');
            }} else {{
                const option = `option[value="{self.invoice_late.id}"]`;
                form.querySelector(`select[name=move_ids] ${{option}}`).selected = true;
                form.querySelector('input[name=date]').value = '{date}';
                form.querySelector('input[name=amount]').value = '250';
                fetch(form.action, {{method: 'POST', body: new FormData(form)}}).then((response) => {{
                    if (response.ok && response.url.includes('/promise/')) {{
                        console.log('test successful');
                    }} else {{
                        console.error('promise refused: ' + response.status);
                    }}
                }});
            }}
        """
        self.browser_js(f"/collections/{token}", code, ready=READY)
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.amount, promise.channel), (250.0, "portal"))

    def test_statement_in_browser(self):
        code = """
            const rows = document.querySelectorAll('.o_collections_items tbody tr');
            const overdue = document.querySelector('a.o_collections_pay_overdue');
            const checkboxes = document.querySelectorAll('.o_collections_items input[name=move_ids]');
            if (rows.length === 4 && overdue && checkboxes.length === 3) {
                console.log('test successful');
            } else {
                console.error('statement incomplete: ' + rows.length);
            }
        """
        self.browser_js("/my/collections", code, ready=READY, login="alice")
