"""Only credit managers set a customer's credit settings (limit, insurer's cover, manual block), on
create as on write, through forms, imports and RPC alike."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditSettingsAccess(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a salesperson who may create contacts, and bills (so sees the credit limit)
        cls.salesman.groups_id |= cls.env.ref("base.group_partner_manager")
        cls.insurer = cls.env["res.partner"].create({"name": "Assureur Crédit", "is_company": True})
        cls.partners = cls.env["res.partner"]

    def _names(self):
        return set(self.partners.search([("name", "like", "Nouveau client%")]).mapped("name"))

    def test_salesperson_cannot_create_a_customer_with_credit_settings(self):
        attempts = {
            "credit limit": {"credit_limit": 50000.0},
            "limit follows the insurer": {
                "credit_limit_follows_insurer": True,
                "credit_insurer_id": self.insurer.id,
                "credit_insurance_amount": 80000.0,
            },
            "covered amount": {"credit_insurance_amount": 80000.0},
            "manual block": {"credit_blocked": True, "credit_block_reason": "Pour voir"},
        }
        for label, values in attempts.items():
            with self.subTest(label), self.assertRaisesRegex(AccessError, "Only credit managers"):
                self.partners.with_user(self.salesman).create(
                    {"name": f"Nouveau client {label}", "is_company": True, **values}
                )
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            self.partners.with_user(self.salesman).with_context(default_credit_blocked=True).create(
                {"name": "Nouveau client par défaut", "is_company": True}
            )
        self.assertFalse(self._names(), "nothing was created")

    def test_salesperson_cannot_import_credit_settings(self):
        result = self.partners.with_user(self.salesman).load(
            ["name", "is_company", "credit_limit"], [["Nouveau client importé", "1", "50000"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Only credit managers", " ".join(message["message"] for message in result["messages"]))
        self.assertFalse(self._names())

    def test_salesperson_creates_customers_and_contacts_without_credit_settings(self):
        # what the form sends: every field, credit settings at their empty values
        customer = self.partners.with_user(self.salesman).create(
            {
                "name": "Nouveau client",
                "is_company": True,
                "credit_limit": 0.0,
                "credit_blocked": False,
                "credit_block_reason": "",
                "credit_limit_follows_insurer": False,
                "credit_insurance_amount": 0.0,
                "credit_insurer_id": False,
                "use_partner_credit_limit": False,
            }
        )
        self.assertFalse(customer.credit_limit)
        with Form(self.partners.with_user(self.salesman)) as form:
            form.name = "Nouveau client saisi"
            form.company_type = "company"
        self.assertFalse(form.record.credit_blocked)
        # a contact of a customer with a limit receives the customer's limit, as Odoo syncs it
        contact = self.partners.with_user(self.salesman).create(
            {"name": "Nouveau client, comptabilité", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.credit_limit, 1000.0)
        contact.with_user(self.salesman).write({"email": "compta@boulangerie.example.com"})
        # saving what is already there changes nothing, so it is allowed (a re-import)
        self.customer.with_user(self.salesman).write({"credit_limit": 1000.0, "credit_blocked": False})
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            contact.with_user(self.salesman).write({"parent_id": False, "credit_limit": 99999.0})

    def test_salesperson_without_billing_rights_creates_contacts(self):
        """The credit limit is an accounting field: the check reads it for them."""
        seller = self._new_user("seller", "sales_team.group_sale_salesman,base.group_partner_manager")
        customer = self.partners.with_user(seller).create({"name": "Nouveau client", "is_company": True})
        contact = self.partners.with_user(seller).create(
            {"name": "Nouveau contact", "parent_id": customer.id}
        )
        self.assertEqual(contact.commercial_partner_id, customer)
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            self.partners.with_user(seller).create(
                {"name": "Nouveau client bloqué", "is_company": True, "credit_blocked": True}
            )

    def test_credit_manager_creates_a_customer_with_credit_settings(self):
        customer = self.partners.with_user(self.manager).create(
            {
                "name": "Nouveau client assuré",
                "is_company": True,
                "credit_limit": 50000.0,
                "credit_limit_follows_insurer": True,
                "credit_insurer_id": self.insurer.id,
                "credit_insurance_amount": 30000.0,
                "credit_blocked": True,
                "credit_block_reason": "Garantie à renouveler",
            }
        )
        self.assertRecordValues(
            customer,
            [{"credit_limit": 50000.0, "credit_insurance_amount": 30000.0, "credit_blocked": True}],
        )
