"""What the customer reads of its legal case on the portal: where it stands, in plain words, and
whom to contact."""

from odoo import models

# The parties a customer may contact about its case, in the order shown.
PORTAL_CONTACT_ROLES = ("lawyer", "commissaire", "agency", "mandataire")


class RecouvrementLegalCase(models.Model):
    _inherit = "recouvrement.legal.case"

    def _get_portal_status(self):
        """Where the case stands, as the customer reads it: from the enforceable title, else the
        latest running procedure the customer knows of (an insurer claim is ours alone). Can be
        inherited."""
        self.ensure_one()
        _ = self.env._
        if self.state == "closed":
            return _("This case is closed.")
        if self.has_enforceable_title:
            return _("A court decision or an agreement orders the payment of this debt; it can be enforced.")
        by_kind = {
            "agency": _("Your file has been entrusted to a collection agency, which will contact you."),
            "small_claims": _(
                "A commissaire de justice has invited you to agree on the payment of this debt "
                "(simplified procedure for small claims)."
            ),
            "injunction": _("We have asked the court for an order to pay (injonction de payer)."),
            "summary": _("We have brought the matter before the court (référé-provision)."),
            "merits": _("We have brought the matter before the court."),
            "conservatory": _("A protective seizure has been made to secure the debt."),
            "garnishment": _("An attachment of sums has been made to recover the debt."),
            "insolvency": _("Our claim has been declared in your insolvency proceedings."),
        }
        running = self.procedure_ids.filtered(lambda p: p.state == "running" and p.kind in by_kind)
        if running:
            latest = running.sorted(lambda p: (p.date_filed or p.create_date.date(), p.id))[-1]
            return by_kind[latest.kind]
        return _(
            "Your file has been handed over to our legal department: reminders have stopped and "
            "the amounts below are now claimed."
        )

    def _get_portal_contacts(self):
        """Whom the customer may contact: the owner, then the lawyer, commissaire de justice,
        agency or mandataire of the case. [{role, name, email, phone}]. Can be inherited."""
        self.ensure_one()
        roles = dict(self.env["recouvrement.legal.party"]._fields["role"]._description_selection(self.env))
        contacts = []
        if self.user_id:
            owner = self.user_id.partner_id
            contacts.append(
                {
                    "role": self.env._("Your contact"),
                    "name": owner.name,
                    "email": owner.email,
                    "phone": owner.phone or self.company_id.phone,
                }
            )
        parties = self.party_ids.filtered(lambda p: p.role in PORTAL_CONTACT_ROLES).sorted(
            lambda p: PORTAL_CONTACT_ROLES.index(p.role)
        )
        contacts += [
            {
                "role": roles[party.role],
                "name": party.partner_id.name,
                "email": party.partner_id.email,
                "phone": party.partner_id.phone,
            }
            for party in parties
        ]
        return contacts

    def _prepare_portal_values(self):
        """The case as the portal statement shows it. Can be inherited."""
        self.ensure_one()
        return {
            "case": self,
            "name": self.name,
            "date_open": self.date_open,
            "status": self._get_portal_status(),
            "currency": self.currency_id,
            "amounts": [
                (self.env._("Principal"), self.amount_principal),
                (self.env._("Late-payment interest"), self.amount_interest),
                (self.env._("Recovery indemnity"), self.amount_indemnity),
                (self.env._("Costs awarded"), self.amount_costs_charged),
                (self.env._("Recovered"), self.amount_recovered),
            ],
            "balance": self.amount_balance,
            "contacts": self._get_portal_contacts(),
            "invoices": self.line_ids.move_id,
        }
