"""Demo data: a French joinery company and its customers at every stage of collection.

Dates are relative to the day the demo is installed, so the story never goes stale. Records get
XML ids ``recouvrement_demo.<key>`` so that the portal and legal addons (and later issues) can build
on them. That namespace belongs to no module: the company, its customers and their invoices are the
user's data and stay when the addons are uninstalled.
"""

import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import file_open

# Each customer: key, name, city, the stage it illustrates, credit limit (0 = none), and invoices
# as (amount excl. VAT, days past due: negative = not yet due, paid share 0..1).
CUSTOMERS = [
    ("boulangerie_martin", "Boulangerie Martin", "Lyon", "good", 20000, [(1800, -20, 0), (2400, 30, 1)]),
    ("hotel_parc", "Hôtel du Parc", "Annecy", "good", 30000, [(5200, -10, 0), (3100, 40, 1)]),
    ("cabinet_durand", "Cabinet Durand Architectes", "Grenoble", "good", 0, [(2750, 15, 1)]),
    ("garage_petit", "Garage Petit & Fils", "Villeurbanne", "good", 10000, [(1250, -25, 0), (1640, 45, 1)]),
    ("pharmacie_centrale", "Pharmacie Centrale", "Vienne", "courtesy", 15000, [(3600, -3, 0)]),
    ("restaurant_lyonnais", "Restaurant Le Lyonnais", "Lyon", "late", 12000, [(2150, 3, 0)]),
    ("fleurs_bernard", "Fleurs Bernard", "Bron", "late", 8000, [(980, 10, 0), (1320, -15, 0)]),
    ("imprimerie_moreau", "Imprimerie Moreau", "Saint-Étienne", "late", 15000, [(4300, 20, 0)]),
    ("transports_girard", "Transports Girard", "Mâcon", "late", 25000, [(8900, 35, 0), (2100, 12, 0)]),
    ("batiment_rousseau", "Bâtiment Rousseau SARL", "Chambéry", "late", 20000, [(11400, 50, 0)]),
    ("coiffure_elegance", "Coiffure Élégance", "Lyon", "partial", 5000, [(2600, 15, 0.5)]),
    ("librairie_mercier", "Librairie Mercier", "Roanne", "instalments", 10000, []),
    (
        "menuiserie_lambert",
        "Menuiserie Lambert",
        "Bourg-en-Bresse",
        "over_limit",
        15000,
        [(6200, 32, 0), (4175, 8, 0)],
    ),
    ("epicerie_blanc", "Épicerie Fine Blanc", "Lyon", "near_limit", 10000, [(7750, -12, 0)]),
    ("clinique_saint_roch", "Clinique Saint-Roch", "Valence", "dispute", 40000, [(9600, 25, 0)]),
    ("camping_les_pins", "Camping Les Pins", "Ardèche", "promise", 8000, [(3450, 18, 0)]),
    (
        "auto_ecole_fontaine",
        "Auto-École Fontaine",
        "Vénissieux",
        "payment_plan",
        6000,
        [(1900, 40, 0), (2300, 28, 0)],
    ),
    ("dubois_renovation", "SARL Dubois Rénovation", "Oyonnax", "legal", 10000, [(14800, 120, 0)]),
    ("julien_roux", "Julien Roux", "Lyon", "consumer", 0, [(850, 12, 0)]),
    ("brasserie_van_damme", "Brasserie Van Damme", "Liège", "foreign", 12000, [(3900, 8, 0)]),
    ("bluewater_trading", "Bluewater Trading Inc.", "Boston", "foreign_currency", 20000, [(4500, 22, 0)]),
]

# Postal codes of the customers' cities (electronic invoices, Factur-X, require one).
ZIP_CODES = {
    "Lyon": "69002",
    "Annecy": "74000",
    "Grenoble": "38000",
    "Villeurbanne": "69100",
    "Vienne": "38200",
    "Bron": "69500",
    "Saint-Étienne": "42000",
    "Mâcon": "71000",
    "Chambéry": "73000",
    "Roanne": "42300",
    "Bourg-en-Bresse": "01000",
    "Valence": "26000",
    "Ardèche": "07150",
    "Vénissieux": "69200",
    "Oyonnax": "01100",
    "Liège": "4000",
    "Boston": "02108",
}

# What a collector wrote down, for the stages whose own records come with later issues.
NOTES = {
    "clinique_saint_roch": "Litige : la clinique conteste la quantité livrée (2 portes manquantes).",
    "camping_les_pins": "Promesse de règlement : virement annoncé pour la fin de la semaine prochaine.",
    "auto_ecole_fontaine": "Échéancier accepté : trois mensualités pour les deux factures en retard.",
    "dubois_renovation": "Contentieux : mise en demeure restée sans réponse, dossier transmis à l'avocat.",
    "menuiserie_lambert": "Encours au-delà de la limite de crédit : nouvelle commande en attente.",
}

# The collectors (chargés de recouvrement), who sign in with login = password, and the customers each
# follows; the others (the legal case) stay with the credit manager, the administrator.
COLLECTORS = [
    (
        "user_collector_garnier",
        "Sophie Garnier",
        "sophie",
        [
            "boulangerie_martin",
            "garage_petit",
            "pharmacie_centrale",
            "restaurant_lyonnais",
            "fleurs_bernard",
            "coiffure_elegance",
            "epicerie_blanc",
            "camping_les_pins",
            "auto_ecole_fontaine",
            "julien_roux",
        ],
    ),
    (
        "user_collector_benali",
        "Karim Benali",
        "karim",
        [
            "hotel_parc",
            "cabinet_durand",
            "imprimerie_moreau",
            "transports_girard",
            "batiment_rousseau",
            "librairie_mercier",
            "menuiserie_lambert",
            "clinique_saint_roch",
            "brasserie_van_damme",
            "bluewater_trading",
        ],
    ),
]

# The company's bank account, printed on invoices and formal notices (a valid but fictitious IBAN).
BANK = {"name": "BNP Paribas", "bic": "BNPAFRPPXXX", "iban": "FR76 3000 4003 9800 0101 2345 642"}

STAGE_TAGS = {
    "good": "Bon payeur",
    "courtesy": "Échéance proche",
    "late": "En retard",
    "partial": "Paiement partiel",
    "instalments": "Paiement en plusieurs échéances",
    "over_limit": "Limite de crédit dépassée",
    "near_limit": "Proche de la limite",
    "dispute": "Litige",
    "promise": "Promesse de règlement",
    "payment_plan": "Échéancier",
    "legal": "Contentieux",
    "consumer": "Particulier",
    "foreign": "Client UE",
    "foreign_currency": "Client export (USD)",
}


class RecouvrementDemoStory(models.AbstractModel):
    _name = "recouvrement.demo.story"
    _description = "Collections demo data"

    @api.model
    def _load(self):
        """Entry point called by demo/recouvrement_demo.xml."""
        company = self._create_company()
        self._setup_admin(company)
        # What the story writes (notes, names) is in the company's language, as its users would.
        # Its emails are queued, not sent while the database is built (no mail server then): the
        # demo server's mail queue sends them (to its local mail server, see scripts/demo.sh).
        env = (
            self.with_company(company)
            .with_context(
                allowed_company_ids=company.ids, lang=company._get_lang(), mail_notify_force_send=False
            )
            .env
        )
        story = self.with_env(env)
        story._create_bank_account(company)
        collectors = story._create_collectors(company)
        partners = story._create_customers(company)
        story._create_invoices(company, partners)
        story._create_instalment_invoice(company, partners["librairie_mercier"])
        story._create_open_order(partners["menuiserie_lambert"])
        story._set_credit_settings(partners)
        story._create_blocked_quotation(partners["dubois_renovation"])
        story._post_notes(partners)
        story._set_collection_settings(company, partners, collectors)
        story._replay_dunning(company, partners)
        story._mark_invoices_sent(company)
        story._create_paid_history(partners)

    # ------------------------------------------------------------------
    # STEPS
    # ------------------------------------------------------------------

    def _create_company(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        with file_open("recouvrement_credit/demo/company_logo.png", "rb") as logo:
            logo = base64.b64encode(logo.read())
        company = self.env["res.company"].create(
            {
                "name": "Menuiserie Lefèvre SAS",
                "logo": logo,
                "street": "12 rue des Artisans",
                "zip": "69007",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
                "currency_id": eur.id,
                "email": "compta@menuiserie-lefevre.example",
                "phone": "+33 4 78 00 00 00",
                "website": "https://www.menuiserie-lefevre.example",
                "vat": "FR19812345676",
                "company_registry": "RCS Lyon 812 345 676",
                "report_header": Markup("Agencement et menuiserie sur mesure depuis 1987"),
                "report_footer": Markup(
                    "SAS au capital de 50 000 € – RCS Lyon 812 345 676 – SIRET 812 345 676 00025 – "
                    "TVA FR19 812 345 676 – APE 1623Z<br/>"
                    "Tél. +33 4 78 00 00 00 – compta@menuiserie-lefevre.example – "
                    "www.menuiserie-lefevre.example"
                ),
                "external_report_layout_id": self.env.ref("web.external_layout_standard").id,
                "paperformat_id": self.env.ref("base.paperformat_euro").id,
            }
        )
        values = {"tz": "Europe/Paris"}
        if self.env["res.lang"]._lang_get("fr_FR"):
            values["lang"] = "fr_FR"  # the language of the notes its daily jobs write
        if "siret" in company.partner_id._fields:  # l10n_fr
            values["siret"] = "81234567600025"
        company.partner_id.write(values)
        chart = "fr" if self._module_installed("l10n_fr_account") else "generic_coa"
        # try_loading() warns when called while modules are being installed, for fear that the
        # chart's own module is not loaded yet; the demo command installs l10n_fr_account first.
        self.env["account.chart.template"]._load(chart, company, install_demo=False)
        company.account_use_credit_limit = True
        self._name_xmlid("company_lefevre", company)
        return company

    def _setup_admin(self, company):
        admin = self.env.ref("base.user_admin")
        values = {
            "company_ids": [Command.link(company.id)],
            "company_id": company.id,
            "action_id": self.env.ref("recouvrement_credit.account_move_action_receivable").id,
        }
        if self.env["res.lang"]._lang_get("fr_FR"):
            values["lang"] = "fr_FR"
        admin.write(values)

    def _create_bank_account(self, company):
        """The account customers pay to: on the bank journal, hence on invoices and formal notices."""
        bank = self.env["res.bank"].search([("bic", "=", BANK["bic"])], limit=1) or self.env[
            "res.bank"
        ].create({"name": BANK["name"], "bic": BANK["bic"], "country": self.env.ref("base.fr").id})
        account = self.env["res.partner.bank"].create(
            {"acc_number": BANK["iban"], "partner_id": company.partner_id.id, "bank_id": bank.id}
        )
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], order="sequence, id", limit=1
        )
        journal.bank_account_id = account
        self._name_xmlid("bank_account_lefevre", account)

    def _create_collectors(self, company):
        """Collectors with their own logins: they see their customers' reminders and calls."""
        users = self.env["res.users"]
        lang = {"lang": "fr_FR"} if self.env["res.lang"]._lang_get("fr_FR") else {}
        for xmlid, name, login, _customers in COLLECTORS:
            user = users.with_context(no_reset_password=True).create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "email": f"{login}@menuiserie-lefevre.example",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.link(self.env.ref("recouvrement_credit.group_user").id)],
                    "notification_type": "inbox",
                    "tz": "Europe/Paris",
                    **lang,
                }
            )
            self._name_xmlid(xmlid, user)
            users |= user
        return users

    def _create_customers(self, company):
        tags = self.env["res.partner.category"].create([{"name": name} for name in STAGE_TAGS.values()])
        tag_by_stage = dict(zip(STAGE_TAGS, tags, strict=True))
        countries = {"foreign": "base.be", "foreign_currency": "base.us"}
        values = [
            {
                "name": name,
                "city": city,
                "zip": ZIP_CODES[city],
                "country_id": self.env.ref(countries.get(stage, "base.fr")).id,
                "is_company": stage != "consumer",
                "email": f"{key.replace('_', '.')}@client.example",
                "category_id": [Command.set(tag_by_stage[stage].ids)],
                "lang": "fr_FR" if stage not in ("foreign_currency",) else "en_US",
            }
            for key, name, city, stage, _limit, _invoices in CUSTOMERS
        ]
        partners = self.env["res.partner"].create(values)
        by_key = {}
        for (key, _name, _city, _stage, limit, _invoices), partner in zip(CUSTOMERS, partners, strict=True):
            if limit:
                partner.write({"credit_limit": limit, "use_partner_credit_limit": True})
            self._name_xmlid(f"partner_{key}", partner)
            by_key[key] = partner
        return by_key

    def _create_invoices(self, company, partners):
        today = fields.Date.context_today(self)
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "rate": 1.08,
                "name": today - timedelta(days=90),
                "company_id": company.id,
            }
        )
        product = self._demo_product()
        moves, payments = [], []
        for key, _name, _city, stage, _limit, invoices in CUSTOMERS:
            for amount, days_late, paid_share in invoices:
                due = today - timedelta(days=days_late)
                moves.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partners[key].id,
                        "currency_id": (usd if stage == "foreign_currency" else company.currency_id).id,
                        "invoice_date": due - timedelta(days=30),
                        "invoice_date_due": due,
                        "invoice_line_ids": [Command.create(self._invoice_line(product, amount))],
                    }
                )
                payments.append(paid_share)
        invoices = self.env["account.move"].create(moves)
        invoices.action_post()
        for invoice, paid_share in zip(invoices, payments, strict=True):
            if paid_share:
                self._register_payment(invoice, invoice.amount_total * paid_share, invoice.invoice_date_due)

    def _create_instalment_invoice(self, company, partner):
        """An invoice payable in two instalments: the first is overdue, the second is not due."""
        today = fields.Date.context_today(self)
        term = self.env["account.payment.term"].create(
            {
                "name": "50 % à 30 jours, solde à 60 jours",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=45),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [Command.create(self._invoice_line(self._demo_product(), 6400))],
            }
        )
        invoice.action_post()

    def _create_open_order(self, partner):
        """A confirmed order not yet invoiced: it counts in the customer's exposure. It takes the
        customer over its limit, so the credit manager granted an exception for it."""
        order = self._create_quotation(partner, 4800)
        self.env["recouvrement.credit.exception"].create(
            {
                "partner_id": partner.id,
                "scope": "document",
                "document_ref": f"sale.order,{order.id}",
                "reason": "Chantier en cours : la direction financière accepte le dépassement.",
            }
        )
        order.action_confirm()
        self._name_xmlid("sale_order_lambert", order)

    def _create_blocked_quotation(self, partner):
        """A quotation the salesperson cannot confirm: the customer is in legal proceedings."""
        self._name_xmlid("sale_order_dubois", self._create_quotation(partner, 2600))

    def _set_credit_settings(self, partners):
        today = fields.Date.context_today(self)
        insurer = self.env["res.partner"].create({"name": "Assurcrédit France (démo)", "is_company": True})
        partners["menuiserie_lambert"].write(
            {
                "credit_insurer_id": insurer.id,
                "credit_insurance_policy": "AC-2026-0457",
                "credit_insurance_amount": 20000,
                "credit_insurance_date_start": today - timedelta(days=200),
                "credit_insurance_date_end": today + timedelta(days=165),
                "credit_insurance_decision_date": today - timedelta(days=210),
                "credit_limit_follows_insurer": True,
            }
        )
        partners["batiment_rousseau"].write(
            {"credit_blocked": True, "credit_block_reason": "Chèque impayé, en attente de régularisation"}
        )
        for key, score in (("hotel_parc", "A"), ("transports_girard", "C"), ("dubois_renovation", "E")):
            partners[key].write(
                {
                    "credit_external_agency": "Agence de notation (import CSV)",
                    "credit_external_score": score,
                    "credit_external_rating_date": today - timedelta(days=30),
                }
            )

    def _set_collection_settings(self, company, partners, collectors):
        """Who follows which scenario and penalty policy; each collector follows its customers, the
        administrator (credit manager) the others."""
        # Odoo loads a module's translations after its demo data, but a scenario can only be given
        # to customers once its templates speak their language: load the French terms now.
        if self.env["res.lang"]._lang_get("fr_FR"):
            self.env["ir.module.module"]._load_module_terms(["recouvrement_credit"], ["fr_FR"])
        admin = self.env.ref("base.user_admin")
        commercial = self.env["res.partner"].concat(*partners.values())
        commercial.write(
            {"dunning_collector_id": admin.id, "phone": "+33 4 72 00 00 00", "street": "1 place de la Mairie"}
        )
        for (_xmlid, _name, _login, keys), collector in zip(COLLECTORS, collectors, strict=True):
            self.env["res.partner"].concat(*(partners[key] for key in keys)).dunning_collector_id = collector
        partners["hotel_parc"].dunning_scenario_id = self.env.ref(
            "recouvrement_credit.dunning_scenario_strategic"
        )
        partners["julien_roux"].write(
            {
                "dunning_scenario_id": self.env.ref("recouvrement_credit.dunning_scenario_consumer").id,
                "late_payment_policy_id": self.env.ref("recouvrement_credit.penalty_policy_fr_consumer").id,
                "mobile": "+33 6 00 00 00 00",
            }
        )
        partners["brasserie_van_damme"].late_payment_policy_id = self.env.ref(
            "recouvrement_credit.penalty_policy_be_demo"
        )
        # The demo company's CGV state a contractual penalty rate: real penalty figures on the demo's
        # invoices without inventing official rates (the legal rate only sets its floor).
        company.write(
            {
                "dunning_contact_cap": 3,
                "credit_manager_id": admin.id,
                "late_payment_policy_id": self.env.ref(
                    "recouvrement_credit.penalty_policy_fr_contractual"
                ).id,
            }
        )

    def _replay_dunning(self, company, partners):
        """The last 50 days of dunning, run day after day as the daily job would have: customers end
        at every level. The dispute, the promise and the payment plan come along the way."""
        today = fields.Date.context_today(self)
        runs = self.env["recouvrement.dunning.run"]
        for days_ago in range(50, -1, -1):
            if days_ago == 8:
                self._create_commitments(partners)
            run = runs._get_or_create(company, today - timedelta(days=days_ago))
            run._generate()
            # Emails, SMS and calls go out; what carries a PDF (letters, the formal notice's email)
            # waits for the running server to print it: "Send Now" on the reminder, or the hourly job.
            run.communication_ids.dispatch_ids.filtered(
                lambda d: (
                    d.channel in ("sms", "phone")
                    or (
                        d.channel == "email"
                        and not d.communication_id.level_id.mail_template_id.report_template_ids
                    )
                )
            )._send()

    def _mark_invoices_sent(self, company):
        """Invoices go out when they are posted: sent (no longer pro forma), their PDF generated by
        the running server's sending job (wkhtmltopdf needs the server: none while the demo is built).
        Customers download theirs (no email to their fictitious addresses)."""
        # One PDF per wkhtmltopdf call: the Debian build (unpatched Qt) fails on several at once.
        self.env["ir.config_parameter"].set_param("account.pdf_generation_batch", "0")
        invoices = self.env["account.move"].search(
            [("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        )
        invoices.partner_id.commercial_partner_id.invoice_sending_method = "manual"
        admin = self.env.ref("base.user_admin")
        invoices.write(
            {
                "is_move_sent": True,
                "sending_data": {"author_user_id": admin.id, "author_partner_id": admin.partner_id.id},
            }
        )
        self.env.ref("account.ir_cron_account_move_send")._trigger()

    def _create_paid_history(self, partners):
        """Eleven months of invoices that the good customers paid, on time or a few days late: the
        KPIs and the Collections dashboard's DSO trend have a year to show. Created after the story
        (no reminder concerns them) and sent already: archived invoices, no PDF to generate."""
        today = fields.Date.context_today(self)
        product = self._demo_product()
        keys = [key for key, _name, _city, stage, _limit, _invoices in CUSTOMERS if stage == "good"]
        moves, paid_on = [], []
        for months_back in range(1, 12):
            for index, key in enumerate(keys):
                invoice_date = today - relativedelta(months=months_back, day=5 + 6 * index)
                due = invoice_date + timedelta(days=30)
                moves.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partners[key].id,
                        "invoice_date": invoice_date,
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                self._invoice_line(
                                    product, 1500 + 400 * index + 150 * ((months_back + index) % 5)
                                )
                            )
                        ],
                    }
                )
                paid_on.append(min(due + timedelta(days=5 * ((months_back + index) % 4)), today))
        invoices = self.env["account.move"].create(moves)
        invoices.action_post()
        invoices.is_move_sent = True
        for invoice, day in zip(invoices, paid_on, strict=True):
            self._register_payment(invoice, invoice.amount_total, day)

    def _create_commitments(self, partners):
        today = fields.Date.context_today(self)
        clinique = self._open_invoices(partners["clinique_saint_roch"])
        self.env["recouvrement.dispute"].create(
            {
                "move_id": clinique[:1].id,
                "category": "quantity",
                "description": "Deux portes coupe-feu manquantes à la livraison du 3e étage.",
            }
        )
        camping = self._open_invoices(partners["camping_les_pins"])
        self.env["recouvrement.promise"].create(
            {
                "partner_id": partners["camping_les_pins"].id,
                "move_line_ids": [Command.set(camping.line_ids.filtered("date_maturity").ids)],
                "date": today + timedelta(days=6),
                "amount": camping.amount_residual,
                "channel": "phone",
            }
        )
        fontaine = self._open_invoices(partners["auto_ecole_fontaine"])
        wizard = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_context(active_model="account.move", active_ids=fontaine.ids)
            .create({"date_first": today + timedelta(days=5), "instalment_count": 3})
        )
        self.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"]).action_confirm()

    def _open_invoices(self, partner):
        return self.env["account.move"].search(
            [
                ("partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "!=", "paid"),
            ]
        )

    def _create_quotation(self, partner, amount):
        line = {"product_id": self._demo_product().id, "product_uom_qty": 1, "price_unit": amount}
        return self.env["sale.order"].create({"partner_id": partner.id, "order_line": [Command.create(line)]})

    def _post_notes(self, partners):
        for key, note in NOTES.items():
            partners[key].message_post(body=note, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _demo_product(self):
        product = self.env.ref("recouvrement_demo.product_joinery", raise_if_not_found=False)
        if not product:
            product = self.env["product.product"].create(
                {
                    "name": "Menuiserie sur mesure",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": 1000,
                }
            )
            self._name_xmlid("product_joinery", product)
        return product

    def _invoice_line(self, product, amount):
        tax = self.env.company.account_sale_tax_id
        return {
            "product_id": product.id,
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [Command.set(tax.ids)],
        }

    def _register_payment(self, invoice, amount, date):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        wizard.create({"amount": amount, "payment_date": date})._create_payments()

    def _module_installed(self, name):
        return bool(
            self.env["ir.module.module"].search_count([("name", "=", name), ("state", "=", "installed")])
        )

    def _name_xmlid(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"recouvrement_demo.{name}", "record": record, "noupdate": True}]
        )
