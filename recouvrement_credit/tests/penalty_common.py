"""Fixtures for the late-payment penalty tests: euro invoices at chosen due dates, payments at
chosen dates, and customers with a chosen penalty policy."""

from datetime import date, timedelta

from odoo import Command

from .credit_common import CreditCommon


class PenaltyCommon(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.policy_b2b = cls.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        cls.policy_consumer = cls.env.ref("recouvrement_credit.penalty_policy_fr_consumer")
        cls.policy_public = cls.env.ref("recouvrement_credit.penalty_policy_fr_public")
        cls.policy_contractual = cls.env.ref("recouvrement_credit.penalty_policy_fr_contractual")
        cls.company.late_payment_policy_id = cls.policy_b2b

    @classmethod
    def _customer(cls, name="Menuiserie Test", is_company=True, policy=None, insolvency=False):
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": is_company, "recouvrement_insolvency": insolvency}
        )
        if policy:
            partner.with_company(cls.company).late_payment_policy_id = policy
        return partner

    def _late_invoice(self, amount, due, partner=None, payment_term=None, invoice_date=None):
        """A posted euro invoice of AMOUNT (no tax) due on DUE, or on PAYMENT_TERM's dates."""
        vals = {
            "move_type": "out_invoice",
            "partner_id": (partner or self.customer).id,
            "invoice_date": invoice_date or due - timedelta(days=30),
            "currency_id": self.eur.id,
            "invoice_line_ids": [
                Command.create({"product_id": self.product_a.id, "price_unit": amount, "tax_ids": []})
            ],
        }
        if payment_term:
            vals["invoice_payment_term_id"] = payment_term.id
        else:
            vals.update(invoice_date_due=due, invoice_payment_term_id=False)
        move = self.env["account.move"].create(vals)
        move.action_post()
        return move

    def _pay_on(self, invoice, amount, day):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        return wizard.create(
            {"amount": amount, "payment_date": day, "currency_id": self.eur.id}
        )._create_payments()

    @classmethod
    def _two_instalments(cls):
        """50 % at 30 days, 50 % at 60 days."""
        return cls.env["account.payment.term"].create(
            {
                "name": "2 x 50 %",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )


D = date.fromisoformat
