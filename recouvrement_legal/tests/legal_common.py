"""Fixtures for the legal tests: the dunning fixtures (company, customer, invoices at chosen due
dates), a legal owner, and helpers opening cases and procedures."""

from odoo.addons.recouvrement_credit.tests.dunning_common import DunningCommon


class LegalCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["recouvrement.legal.case"]
        cls.company.write({"credit_manager_id": cls.manager.id, "country_id": cls.env.ref("base.fr").id})
        cls.ip = cls.env.ref("recouvrement_legal.legal_procedure_injunction")
        cls.psrpc = cls.env.ref("recouvrement_legal.legal_procedure_small_claims")
        cls.merits = cls.env.ref("recouvrement_legal.legal_procedure_merits")
        cls.garnishment = cls.env.ref("recouvrement_legal.legal_procedure_garnishment")
        cls.conservatory = cls.env.ref("recouvrement_legal.legal_procedure_conservatory")
        cls.insolvency = cls.env.ref("recouvrement_legal.legal_procedure_insolvency")
        cls.insurer_claim = cls.env.ref("recouvrement_legal.legal_procedure_insurer")

    def _open_case(self, *invoices):
        items = (
            self.env["account.move"]
            .concat(*invoices)
            .line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        )
        return self.Case._open_for_items(items)

    def _procedure(self, case, procedure_type, **values):
        return self.env["recouvrement.legal.procedure"].create(
            {"case_id": case.id, "type_id": procedure_type.id, **values}
        )

    def _deadline(self, procedure, rule_xmlid):
        rule = self.env.ref(f"recouvrement_legal.{rule_xmlid}")
        return procedure.deadline_ids.filtered(lambda d: d.rule_id == rule)
