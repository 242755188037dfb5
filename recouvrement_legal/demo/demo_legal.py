"""Legal demo, on top of the collections demo of recouvrement_credit (French chart, real entries):

- SARL Dubois Rénovation's unpaid invoice handed over to legal collection, with an injonction de
  payer served and the debtor's opposition window running;
- Charpentes Vidal SAS in redressement judiciaire: the opening judgment, its BODACC publication and
  the claim declaration to the mandataire judiciaire, whose 2-month deadline runs;
- Ébénisterie Caron SARL, liquidated: its debt reclassified as doubtful, impaired, written off with
  the art. 272 CGI corrective invoice, then a partial recovery after write-off (the manager's
  guarantee) booked as income with its VAT.

Dates are relative to the day the demo is installed."""

from datetime import timedelta

from odoo import Command, api, fields, models

# What the credit manager wrote down (the demo company works in French).
NOTES = {
    "insolvency": "Redressement judiciaire ouvert par le tribunal de commerce de Thonon-les-Bains "
    "(jugement publié au BODACC). Déclarer la créance au mandataire judiciaire.",
    "written_off": "Certificat d'irrécouvrabilité reçu du liquidateur (clôture pour insuffisance "
    "d'actif) ; facture rectificative (article 272 du CGI) envoyée au client.",
}


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
        # Entries, deadlines and the art. 272 wording are written in the company's language, as its
        # users would; Odoo loads the module's translations only after its demo data: load them now.
        if self.env["res.lang"]._lang_get("fr_FR"):
            self.env["ir.module.module"]._load_module_terms(["recouvrement_legal"], ["fr_FR"])
        story = self.with_company(company).with_context(
            allowed_company_ids=company.ids, lang=company._get_lang(), mail_notify_force_send=False
        )
        story._create_dubois_case(company, partner)
        story._create_insolvency_case(company)
        story._create_written_off_case(company)

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

    def _create_insolvency_case(self, company):
        """A customer in redressement judiciaire: its case starts with the claim declaration, whose
        deadline runs from the BODACC publication (2 months, R622-24 C. com.)."""
        today = fields.Date.context_today(self)
        partner = self._create_customer(
            "partner_charpentes_vidal", "Charpentes Vidal SAS", "Annemasse", "74100", "Procédure collective"
        )
        self._create_sent_invoices(partner, [(5400, 40), (2250, 15)])
        partner.write(
            {
                "recouvrement_insolvency": True,
                "legal_insolvency_judgment_date": today - timedelta(days=12),
                "legal_insolvency_publication_date": today - timedelta(days=5),
            }
        )
        partner.message_post(body=NOTES["insolvency"], subtype_xmlid="mail.mt_note")
        case = self.env["recouvrement.legal.case"]._open_for_items(self._open_items(company, partner))
        mandataire = self.env["res.partner"].create(
            {
                "name": "SELARL Alpes Mandataires, mandataire judiciaire",
                "is_company": True,
                "street": "4 avenue de Genève",
                "zip": "74200",
                "city": "Thonon-les-Bains",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        case.write(
            {
                "stage_id": self.env.ref("recouvrement_legal.legal_stage_court").id,
                "party_ids": [
                    Command.create(
                        {
                            "role": "mandataire",
                            "partner_id": mandataire.id,
                            "reference": "RJ 2026/118",
                            "date_mandate": today - timedelta(days=12),
                        }
                    )
                ],
            }
        )
        self._name_xmlid("legal_case_vidal", case)

    def _create_written_off_case(self, company):
        """A customer liquidated and closed for insufficient assets: the debt went 411 → 416,
        was impaired, then written off with the art. 272 CGI corrective invoice; the manager's
        guarantee paid part of it afterwards, booked as income with its VAT."""
        today = fields.Date.context_today(self)
        partner = self._create_customer(
            "partner_ebenisterie_caron",
            "Ébénisterie Caron SARL",
            "Villefranche-sur-Saône",
            "69400",
            "Contentieux",
        )
        invoice = self._create_sent_invoices(partner, [(3200, 300)])
        partner.write(
            {
                "recouvrement_insolvency": True,
                "legal_insolvency_judgment_date": today - timedelta(days=240),
                "legal_insolvency_publication_date": today - timedelta(days=232),
            }
        )
        case = self.env["recouvrement.legal.case"]._open_for_items(self._open_items(company, partner))
        case.date_open = today - timedelta(days=245)
        case.procedure_ids.write(
            {
                "date_filed": today - timedelta(days=220),
                "step_id": self.env.ref("recouvrement_legal.legal_procedure_insolvency_step_2").id,
            }
        )
        case._reclassify_doubtful(today - timedelta(days=230))
        case._set_impairment(100.0, today - timedelta(days=200))
        case._write_off(invoice.amount_total, today - timedelta(days=40))
        case.message_post(body=NOTES["written_off"], subtype_xmlid="mail.mt_note")
        case._close(
            "written_off",
            "Liquidation judiciaire clôturée pour insuffisance d'actif.",
            today - timedelta(days=40),
        )
        case._book_recovery(960.0, today - timedelta(days=10))
        self._name_xmlid("legal_case_caron", case)

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _create_customer(self, xmlid, name, city, zip_code, tag_name):
        admin = self.env.ref("base.user_admin")
        tag = self.env["res.partner.category"].search([("name", "=", tag_name)], limit=1) or self.env[
            "res.partner.category"
        ].create({"name": tag_name})
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "city": city,
                "zip": zip_code,
                "street": "1 place de la Mairie",
                "country_id": self.env.ref("base.fr").id,
                "email": f"{xmlid.removeprefix('partner_').replace('_', '.')}@client.example",
                "phone": "+33 4 72 00 00 00",
                "lang": "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else "en_US",
                "category_id": [Command.set(tag.ids)],
                "dunning_collector_id": admin.id,
                "invoice_sending_method": "manual",
            }
        )
        self._name_xmlid(xmlid, partner)
        return partner

    def _create_sent_invoices(self, partner, invoices):
        """Posted invoices of (amount excl. VAT, days past due), sent as the collections demo's are."""
        today = fields.Date.context_today(self)
        story = self.env["recouvrement.demo.story"]
        product = story._demo_product()
        admin = self.env.ref("base.user_admin")
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=days_late + 30),
                    "invoice_date_due": today - timedelta(days=days_late),
                    "invoice_line_ids": [Command.create(story._invoice_line(product, amount))],
                }
                for amount, days_late in invoices
            ]
        )
        moves.action_post()
        moves.write(
            {
                "is_move_sent": True,
                "sending_data": {"author_user_id": admin.id, "author_partner_id": admin.partner_id.id},
            }
        )
        return moves

    def _open_items(self, company, partner):
        return self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )

    def _name_xmlid(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"recouvrement_demo.{name}", "record": record, "noupdate": True}]
        )
