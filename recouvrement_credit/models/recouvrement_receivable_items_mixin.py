"""What promises to pay and payment plans share: a customer's open receivable items, the currency
they are followed in, and their residual read in one SQL aggregate."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .account_move_line import OPEN_RECEIVABLE_DOMAIN, domain_literal

# The invoices to collect among the open receivable items (credits have a negative residual).
TO_COLLECT_DOMAIN = (("amount_residual", ">", 0),)
# Domain of the items a promise or a plan may cover: the customer's open receivable items to collect.
OPEN_ITEMS_DOMAIN = domain_literal(
    "('partner_id', 'child_of', partner_id)",
    "('company_id', '=', company_id)",
    *OPEN_RECEIVABLE_DOMAIN,
    *TO_COLLECT_DOMAIN,
)


def items_currency(lines, company):
    """The currency to follow LINES in: theirs when they share one, the company's otherwise."""
    return lines.currency_id if len(lines.currency_id) == 1 else company.currency_id


def item_residual(line, currency):
    """What is left to pay on LINE, in CURRENCY (its own or the company's)."""
    return line.amount_residual_currency if line.currency_id == currency else line.amount_residual


class RecouvrementReceivableItemsMixin(models.AbstractModel):
    """The customer, company and currency of the records; each model adds its Many2many
    ``move_line_ids``, whose relation table, record column and line column ``_items_relation``
    names (the dunning run reads those tables). They also have ``user_id`` (who recorded them) and
    ``_update_states(today)``, run daily."""

    _name = "recouvrement.receivable.items.mixin"
    _description = "Records on a customer's open receivable items"
    _items_relation = ("", "", "")

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True, required=True
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    # Not "move_line_ids.currency_id": the items are posted, their currency no longer changes, and
    # that dependency made every new journal item (each invoice posted, each payment) search the
    # promises and plans holding it.
    @api.depends("move_line_ids", "company_id")
    def _compute_currency_id(self):
        for record in self:
            record.currency_id = items_currency(record.move_line_ids, record.company_id)

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("move_line_ids", "partner_id", "company_id")
    def _check_move_line_ids(self):
        for record in self:
            for line in record.move_line_ids:
                if line.parent_state != "posted":
                    raise ValidationError(
                        self.env._(
                            "%(document)s is not posted: only posted invoices can be followed up.",
                            document=line.move_id.display_name,
                        )
                    )
                if (
                    line.account_id.account_type != "asset_receivable"
                    or line.parent_state != "posted"
                    or line.partner_id.commercial_partner_id != record.partner_id.commercial_partner_id
                    or line.company_id != record.company_id
                ):
                    raise ValidationError(
                        self.env._(
                            "%(item)s is not a posted receivable item of %(customer)s in %(company)s.",
                            item=line.move_id.display_name,
                            customer=record.partner_id.display_name,
                            company=record.company_id.name,
                        )
                    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _cron_update_states(self):
        self._update_states(fields.Date.context_today(self))

    @api.model
    def _claim_to_settle(self, domain):
        """The records of DOMAIN that no other transaction is settling, locked for this one until it
        commits (``FOR NO KEY UPDATE SKIP LOCKED``): the daily job and the dunning runs of several
        companies, in several cron threads, settle each record once and never wait for one another."""
        records = self.search(domain)
        if not records:
            return records
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                records.ids,
            )
        )
        claimed = {row[0] for row in self.env.cr.fetchall()}
        return records.filtered(lambda record: record.id in claimed)

    def _notify_broken(self, today, body, summary):
        """A broken commitment: BODY on the record and the customer, a to-do (SUMMARY) for the
        collector that follows it up."""
        self.ensure_one()
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        # collectors may not write on customers, yet the customer's chatter tells the broken commitment
        self.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=summary,
            user_id=self._get_collector().id,
        )

    def _in_company_lang(self):
        """Each record in its company's language, for the notes and to-dos written for its staff by
        the daily job (which runs as a user of another language). Yields the records one by one."""
        for record in self:
            yield record.with_context(lang=record.company_id._get_lang())

    def _get_collector(self):
        """Who follows up a broken commitment: the customer's collector (chargé de recouvrement),
        else whoever recorded it. Can be inherited."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).dunning_collector_id or self.user_id

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    @api.model
    def _get_open_items_domain(self, partner, company):
        """The customer's open receivable items (invoices to pay) in COMPANY."""
        return [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            *self.env["account.move.line"]._get_open_receivable_domain(),
            *TO_COLLECT_DOMAIN,
        ]

    def _items_residual_python(self):
        """The items' current residual, in the record's currency (for records not saved yet)."""
        self.ensure_one()
        return self.currency_id.round(
            sum(item_residual(line, self.currency_id) for line in self.move_line_ids)
        )

    def _get_items_residuals(self):
        """{record id: current residual of its items, in its currency}, in one query."""
        if not self.ids:
            return {}
        self.env["account.move.line"].flush_model(
            ["amount_residual", "amount_residual_currency", "currency_id"]
        )
        self.flush_recordset(["currency_id", "move_line_ids"])
        relation, record_column, line_column = self._items_relation
        self.env.cr.execute(
            SQL(
                """
                SELECT r.%(record_column)s,
                       SUM(CASE WHEN aml.currency_id = rec.currency_id THEN aml.amount_residual_currency
                                ELSE aml.amount_residual END)
                  FROM %(relation)s r
                  JOIN account_move_line aml ON aml.id = r.%(line_column)s
                  JOIN %(table)s rec ON rec.id = r.%(record_column)s
                 WHERE r.%(record_column)s = ANY(%(ids)s)
              GROUP BY r.%(record_column)s
                """,
                relation=SQL.identifier(relation),
                record_column=SQL.identifier(record_column),
                line_column=SQL.identifier(line_column),
                table=SQL.identifier(self._table),
                ids=list(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())
