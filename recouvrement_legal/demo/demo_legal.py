"""Legal demo: SARL Dubois Rénovation's unpaid invoice (from the collections demo) handed over to
legal collection, with an injonction de payer served and the debtor's opposition window running.
Dates are relative to the day the demo is installed."""

from datetime import timedelta

from odoo import Command, api, fields, models


class RecouvrementLegalDemo(models.AbstractModel):
    _name = "recouvrement.legal.demo"
    _description = "Legal collection demo data"

    @api.model
    def _load(self):
        """Entry point called by demo/recouvrement_legal_demo.xml; nothing without the collections demo."""
        partner = self.env.ref("recouvrement_demo.partner_dubois_renovation", raise_if_not_found=False)
        company = self.env.ref("recouvrement_demo.company_lefevre", raise_if_not_found=False)
        if not partner or not company:
            return
        story = self.with_company(company).with_context(allowed_company_ids=company.ids)
        story._create_dubois_case(company, partner)

    def _create_dubois_case(self, company, partner):
        today = fields.Date.context_today(self)
        Case = self.env["recouvrement.legal.case"]
        handover = self.env["recouvrement.dunning.communication"].search(
            [
                ("partner_id", "=", partner.id),
                ("level_id.propose_legal", "=", True),
                ("legal_case_id", "=", False),
            ],
            limit=1,
        )
        if handover:
            handover.action_open_legal_case()
            case = handover.legal_case_id
        else:
            items = self.env["account.move.line"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    ("parent_state", "=", "posted"),
                ]
            )
            if not items:
                return
            case = Case._open_for_items(items)
        court = self.env["res.partner"].create(
            {"name": "Tribunal de commerce de Bourg-en-Bresse", "is_company": True, "city": "Bourg-en-Bresse"}
        )
        commissaire = self.env["res.partner"].create(
            {"name": "SCP Morel & Associés, commissaires de justice", "is_company": True, "city": "Oyonnax"}
        )
        case.write(
            {
                "stage_id": self.env.ref("recouvrement_legal.legal_stage_court").id,
                "party_ids": [
                    Command.create({"role": "court", "partner_id": court.id}),
                    Command.create(
                        {
                            "role": "commissaire",
                            "partner_id": commissaire.id,
                            "date_mandate": today - timedelta(days=25),
                        }
                    ),
                ],
                "cost_ids": [
                    Command.create(
                        {
                            "date": today - timedelta(days=60),
                            "kind": "court",
                            "name": "Frais de greffe – requête en injonction de payer",
                            "amount": 35.21,
                            "bearer": "debtor",
                        }
                    ),
                    Command.create(
                        {
                            "date": today - timedelta(days=20),
                            "kind": "commissaire",
                            "name": "Signification de l'ordonnance",
                            "amount": 85.0,
                            "bearer": "debtor",
                            "partner_id": commissaire.id,
                        }
                    ),
                ],
            }
        )
        self.env["recouvrement.legal.procedure"].create(
            {
                "case_id": case.id,
                "type_id": self.env.ref("recouvrement_legal.legal_procedure_injunction").id,
                "step_id": self.env.ref("recouvrement_legal.legal_procedure_injunction_step_3").id,
                "court_id": court.id,
                "date_filed": today - timedelta(days=60),
                "date_decision": today - timedelta(days=45),
                "decision": "granted",
                "date_service": today - timedelta(days=20),
                "service_type": "person",
            }
        )
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "recouvrement_demo.legal_case_dubois", "record": case, "noupdate": True}]
        )
