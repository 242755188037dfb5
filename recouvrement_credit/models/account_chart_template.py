from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """A company given a French chart after this addon's install gets its penalty accounts and
        journal (the install sets up the companies that already had one)."""
        result = super()._post_load_data(template_code, company, template_data)
        company._late_payment_set_defaults()
        return result
