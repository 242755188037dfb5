import calendar
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from .recouvrement_legal_rate import semester_end

ONE_DAY = timedelta(days=1)


class AccountMove(models.Model):
    """Late-payment penalties of customer invoices (interest, fixed indemnity, fees) and the
    penalty invoices that charge them.

    ``get_late_payment_penalty`` is the one computation: the invoice form, letters, the portal and
    penalty invoices all use it. ``_create_late_payment_invoices`` is what the dunning level action
    "apply penalties" calls; ``_get_late_payment_fees`` charges the fixed fees of dunning levels.
    """

    _inherit = "account.move"

    formal_notice_date = fields.Date(
        copy=False,
        tracking=True,
        help="Date of the mise en demeure. Interest owed by a consumer runs from the day after it.",
    )
    is_late_payment_invoice = fields.Boolean(
        "Penalty Invoice",
        copy=False,
        readonly=True,
        help="This invoice charges late-payment penalties: it bears no penalties itself.",
    )
    late_payment_fee_warning = fields.Char(
        compute="_compute_late_payment_fee_warning",
        compute_sudo=True,  # whoever reads the penalty invoice sees the warning, charges or not
        help="A penalty invoice that charges a business customer fixed fees on top of the indemnity.",
    )
    late_payment_setup_warning = fields.Char(
        compute="_compute_late_payment_setup_warning",
        help="The penalty settings still empty in the invoice's company.",
    )
    late_payment_penalty_html = fields.Html(
        "Late-Payment Penalties",
        compute="_compute_late_payment_penalty_html",
        sanitize=False,
        help="The penalties owed as of today, period by period.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("is_late_payment_invoice")
    def _compute_late_payment_fee_warning(self):
        """Fees beyond the 40 € indemnity are owed by a business only on justification (L441-10)."""
        penalty_moves = self.filtered(lambda move: move.is_late_payment_invoice and move.id)
        groups = self.env["recouvrement.penalty.charge"]._read_group(
            [("penalty_move_id", "in", penalty_moves.ids), ("kind", "=", "fee")],
            ["penalty_move_id"],
            ["amount:sum"],
        )
        fees = {move: amount for move, amount in groups}
        for move in self:
            amount = fees.get(move)
            move.late_payment_fee_warning = amount and move._get_fee_warning(amount)

    @api.depends("company_id", "move_type", "state")
    def _compute_late_payment_setup_warning(self):
        for move in self:
            missing = move.company_id._get_late_payment_setup_missing() if move._is_penalty_bearing() else []
            move.late_payment_setup_warning = bool(missing) and self.env._(
                "Penalty invoices are not set up: %(missing)s. Until then they use the default sales journal "
                "and the products' income accounts.",
                missing=", ".join(missing),
            )

    @api.depends_context("uid")
    def _compute_late_payment_penalty_html(self):
        """Only computed when the form shows it (not stored)."""
        today = fields.Date.context_today(self)
        template = "recouvrement_credit.late_payment_penalty_breakdown"
        for move in self:
            if not move._is_penalty_bearing():
                move.late_payment_penalty_html = False
                continue
            try:
                values = {"penalty": move.get_late_payment_penalty(today), "error": False}
            except UserError as error:  # interest cannot be computed: the indemnity needs no rate
                values = {
                    "penalty": False,
                    "error": error.args[0],
                    "indemnity": move.get_late_payment_indemnity(today),
                }
            values.update(move=move, format_date=lambda d: format_date(self.env, d))
            move.late_payment_penalty_html = self.env["ir.qweb"]._render(template, values)

    # ------------------------------------------------------------------
    # BUSINESS: the computation
    # ------------------------------------------------------------------

    def get_late_payment_penalty(self, on_date=None):
        """The late-payment penalties of this customer invoice as of ON_DATE (default today).

        Returns a dict: ``policy`` (recouvrement.penalty.policy), ``currency`` (the invoice's),
        ``periods`` (list of dicts: ``item`` (account.move.line), ``due_date``, ``date_from``,
        ``date_to``, ``base``, ``rate`` (annual %), ``days``, ``day_count`` (divisor: 365 or 366),
        ``amount``), ``interest``, ``indemnity``, ``fees`` (list of dicts ``label``, ``amount``),
        ``fees_amount``, ``total`` and ``warnings`` (translated strings). Amounts are in the invoice
        currency, each period rounded to the cent. Raises a UserError naming a semester whose rates
        are not loaded."""
        self.ensure_one()
        self.check_access("read")
        return self._compute_late_payment_penalty(on_date or fields.Date.context_today(self))

    def _compute_late_payment_penalty(self, on_date, charged=None):
        """The computation; CHARGED (see recouvrement.penalty.charge._get_charged) leaves out what
        penalty invoices already charged."""
        self.ensure_one()
        charged = charged or {"until": {}, "indemnity": False, "fees": set()}
        policy = self._get_penalty_policy()
        currency = self.currency_id
        warnings = []
        segments = (
            self._get_outstanding_segments(policy, on_date, warnings) if self._is_penalty_bearing() else []
        )
        periods = [
            self._compute_penalty_period(policy, segment, warnings)
            for segment in self._split_by_semester(self._trim_charged(segments, charged["until"]))
        ]
        interest = currency.round(sum(period["amount"] for period in periods))
        indemnity = 0.0
        if segments and not charged["indemnity"]:
            indemnity = self._get_penalty_indemnity(policy, segments, warnings)
        fees = [
            fee
            for fee in self._get_penalty_fees(policy, on_date, warnings)
            if fee["label"] not in charged["fees"]
        ]
        fees_amount = currency.round(sum(fee["amount"] for fee in fees))
        if fees_amount and policy.kind != "consumer":
            warnings.append(self._get_fee_warning(fees_amount))
        return {
            "policy": policy,
            "currency": currency,
            "periods": periods,
            "interest": interest,
            "indemnity": indemnity,
            "fees": fees,
            "fees_amount": fees_amount,
            "total": currency.round(interest + indemnity + fees_amount),
            "warnings": list(dict.fromkeys(warnings)),
        }

    def _is_penalty_bearing(self):
        self.ensure_one()
        return self.move_type == "out_invoice" and self.state == "posted" and not self.is_late_payment_invoice

    def get_late_payment_indemnity(self, on_date=None):
        """The fixed recovery indemnity owed by this invoice on ON_DATE (invoice currency), which
        needs no rate: what a letter states even when interest cannot be computed."""
        self.ensure_one()
        self.check_access("read")
        if not self._is_penalty_bearing():
            return 0.0
        policy = self._get_penalty_policy()
        segments = self._get_outstanding_segments(policy, on_date or fields.Date.context_today(self), [])
        return self._get_penalty_indemnity(policy, segments, []) if segments else 0.0

    def _get_penalty_policy(self):
        """The customer's policy, else (a private person) the company's policy for private persons,
        else the payment term's, else the company's, else the installed French B2B default."""
        self.ensure_one()
        company = self.company_id
        partner = self.commercial_partner_id.with_company(company)
        return (
            partner.late_payment_policy_id
            or (not partner.is_company and company.late_payment_consumer_policy_id)
            or self.invoice_payment_term_id.late_payment_policy_id
            or company.late_payment_policy_id
            or self.env.ref("recouvrement_credit.penalty_policy_fr_b2b")
        )

    def _get_penalty_items(self):
        """The receivable items: one per due date."""
        return self.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.amount_currency > 0
        )

    def _get_outstanding_segments(self, policy, on_date, warnings):
        """Per item, the spans of days late with a constant outstanding amount, from the day after
        the due date (consumers: after the formal notice) to ON_DATE: a list of dicts ``item``,
        ``delay_start``, ``date_from``, ``date_to``, ``base``. A payment on day D reduces the amount
        from D + 1 (the day of the payment is late on the full amount)."""
        items = self._get_penalty_items()
        if policy.kind == "consumer" and not self.formal_notice_date:
            if any(item.date_maturity < on_date for item in items):
                warnings.append(
                    self.env._(
                        "No interest: a consumer owes interest only from the formal notice, not sent yet."
                    )
                )
            return []
        payments = self._get_item_payments(items, on_date, policy)
        segments = []
        for item in items:
            start = item.date_maturity + ONE_DAY
            if policy.kind == "consumer":
                start = max(start, self.formal_notice_date + ONE_DAY)
            base, cursor = item.amount_currency, start
            for day, amount in payments.get(item.id, []):
                if day >= cursor and cursor <= on_date and self.currency_id.compare_amounts(base, 0) > 0:
                    segments.append(self._segment(item, start, cursor, min(day, on_date), base))
                    cursor = day + ONE_DAY
                base -= amount
            if cursor <= on_date and self.currency_id.compare_amounts(base, 0) > 0:
                segments.append(self._segment(item, start, cursor, on_date, base))
        return segments

    @api.model
    def _segment(self, item, delay_start, date_from, date_to, base):
        return {
            "item": item,
            "delay_start": delay_start,
            "date_from": date_from,
            "date_to": date_to,
            "base": item.currency_id.round(base),
        }

    def _get_item_payments(self, items, on_date, policy):
        """{item id: [(date, amount in the item's currency)]} of what settled ITEMS by ON_DATE,
        dated by the reconciliation (the later of the invoice's and the payment's dates). With the
        policy's option, a credit note correcting this invoice (its reversal) counts from the item's
        due date: the amount it corrects was never owed."""
        partials = self.env["account.partial.reconcile"].search(
            [("debit_move_id", "in", items.ids), ("max_date", "<=", on_date)], order="max_date, id"
        )
        payments = defaultdict(list)
        for partial in partials:
            item, day = partial.debit_move_id, partial.max_date
            if policy.credit_notes_from_due_date and self._is_correcting_credit_note(
                partial.credit_move_id.move_id
            ):
                day = min(day, item.date_maturity)
            payments[item.id].append((day, partial.debit_amount_currency))
        for item_payments in payments.values():
            item_payments.sort(key=lambda payment: payment[0])
        return payments

    def _is_correcting_credit_note(self, move):
        """Hook: whether MOVE is a credit note correcting this invoice (here: its reversal)."""
        self.ensure_one()
        return move.move_type == "out_refund" and move.reversed_entry_id == self

    @api.model
    def _trim_charged(self, segments, charged_until):
        """The segments minus the days penalty invoices already charged (per item)."""
        trimmed = []
        for segment in segments:
            until = charged_until.get(segment["item"].id)
            if until and segment["date_to"] <= until:
                continue
            if until and segment["date_from"] <= until:
                segment = dict(segment, date_from=until + ONE_DAY)
            trimmed.append(segment)
        return trimmed

    @api.model
    def _split_by_semester(self, segments):
        """Each segment cut at every 1 January / 1 July: rates are set per semester."""
        for segment in segments:
            day = segment["date_from"]
            while day <= segment["date_to"]:
                end = min(segment["date_to"], semester_end(day))
                yield dict(segment, date_from=day, date_to=end)
                day = end + ONE_DAY

    def _compute_penalty_period(self, policy, segment, warnings):
        """Simple interest over one period: base × rate × days / (100 × day count), to the cent."""
        date_from, date_to = segment["date_from"], segment["date_to"]
        rate = policy._get_rate(date_from, segment["delay_start"], warnings)
        days = (date_to - date_from).days + 1
        day_count = 366 if policy.day_count == "actual" and calendar.isleap(date_from.year) else 365
        return {
            "item": segment["item"],
            "due_date": segment["item"].date_maturity,
            "date_from": date_from,
            "date_to": date_to,
            "base": segment["base"],
            "rate": rate,
            "days": days,
            "day_count": day_count,
            "amount": self.currency_id.round(segment["base"] * rate * days / (100.0 * day_count)),
        }

    def _get_penalty_indemnity(self, policy, segments, warnings):
        """The fixed recovery indemnity, once per late invoice, in the invoice currency: owed from
        the first day late (of SEGMENTS), it is converted at that day's rate, so that it never depends
        on the day it is computed or invoiced."""
        if not policy._has_indemnity():
            return 0.0
        if self.commercial_partner_id.recouvrement_insolvency:
            warnings.append(
                self.env._(
                    "No recovery indemnity: the customer is in insolvency proceedings (C. com. D441-5)."
                )
            )
            return 0.0
        first_day_late = min(segment["delay_start"] for segment in segments)
        return policy.indemnity_currency_id._convert(
            policy.indemnity_amount, self.currency_id, self.company_id, first_day_late
        )

    def _get_fee_warning(self, amount):
        return self.env._(
            "Fees of %(amount)s are charged on top of the fixed recovery indemnity: a business owes more "
            "than the indemnity only on justification of the recovery costs incurred (C. com. L441-10).",
            amount=formatLang(self.env, amount, currency_obj=self.currency_id),
        )

    def _get_penalty_fees(self, policy, on_date, warnings):
        fees = self._get_late_payment_fees(on_date)
        if fees and policy.kind == "consumer":
            warnings.append(
                self.env._("Recovery fees cannot be charged to a consumer (CPCE L111-8): they are left out.")
            )
            return []
        return fees

    def _get_late_payment_fees(self, on_date):
        """Hook: fixed fees owed on ON_DATE besides interest and the indemnity, as a list of dicts
        ``label`` (unique per fee: a label already charged on a penalty invoice is not charged again)
        and ``amount`` (invoice currency). Never charged to consumers. Here: the fixed fee of each
        dunning level reached by the invoice's items, once per reminder sent at that level."""
        self.ensure_one()
        fees = []
        lines = self.dunning_line_ids.filtered(
            lambda line: (
                line.advanced and line.level_id.fee_amount and line.state == "sent" and line.date <= on_date
            )
        )
        reached = {(line.communication_id, line.level_id) for line in lines}
        for communication, level in sorted(reached, key=lambda pair: (pair[0].id, pair[1].id)):
            amount = level.currency_id._convert(
                level.fee_amount, self.currency_id, self.company_id, communication.date
            )
            fees.append(
                {
                    "label": self.env._(
                        "Dunning fee: %(level)s (%(reminder)s)", level=level.name, reminder=communication.name
                    ),
                    "amount": amount,
                }
            )
        return fees

    # ------------------------------------------------------------------
    # BUSINESS: penalty invoices
    # ------------------------------------------------------------------

    def _create_late_payment_invoices(self, on_date):
        """Hook called by the dunning level action "apply penalties": invoice the penalties of these
        invoices owed on ON_DATE that no penalty invoice charged yet. One posted penalty invoice per
        company, customer and currency; returns them (none when nothing is owed)."""
        moves = self.filtered(lambda move: move._is_penalty_bearing())
        charged = self.env["recouvrement.penalty.charge"]._get_charged(moves)
        groups = defaultdict(list)
        for move in moves:
            penalty = move._compute_late_payment_penalty(on_date, charged[move.id])
            # The labels are read by the customer: in its language, whoever invoices (the run's job).
            lang = move.commercial_partner_id.lang or move.company_id._get_lang()
            lines = move.with_context(lang=lang)._prepare_penalty_lines(penalty)
            if lines:
                groups[move.company_id, move.commercial_partner_id, move.currency_id].extend(lines)
        invoices = self.browse()
        for (company, partner, currency), lines in groups.items():
            invoice = self.with_company(company).create(
                self._prepare_penalty_invoice_vals(company, partner, currency, on_date, lines)
            )
            charges = [
                dict(charge, penalty_line_id=line.id)
                for line, (__, charge) in zip(invoice.invoice_line_ids.sorted("id"), lines, strict=True)
            ]
            self.env["recouvrement.penalty.charge"].create(charges)
            invoice.action_post()
            invoices |= invoice
        return invoices

    def _prepare_penalty_lines(self, penalty):
        """[(invoice line values, charge values)] for PENALTY: one line per period, one for the
        indemnity, one per fee."""
        self.ensure_one()
        company = self.company_id
        interest_product = company._get_late_payment_product("interest")
        indemnity_product = company._get_late_payment_product("indemnity")
        lines = []
        for period in penalty["periods"]:
            if self.currency_id.is_zero(period["amount"]):
                continue
            label = self._get_penalty_period_label(period)
            lines.append(
                self._penalty_line(
                    interest_product, label, period["amount"], "interest", period, period["item"]
                )
            )
        if penalty["indemnity"]:
            label = self.env._("Fixed recovery indemnity – %(invoice)s", invoice=self.name)
            lines.append(self._penalty_line(indemnity_product, label, penalty["indemnity"], "indemnity"))
        for fee in penalty["fees"]:
            lines.append(self._penalty_line(indemnity_product, fee["label"], fee["amount"], "fee"))
        return lines

    def _penalty_line(self, product, label, amount, kind, period=None, item=None):
        line = {
            "product_id": product.id,
            "name": label,
            "quantity": 1.0,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        account = self.company_id._get_late_payment_account(kind)
        if account:
            line["account_id"] = account.id
        charge = {
            "move_id": self.id,
            "move_line_id": item and item.id,
            "kind": kind,
            "name": label,
            "date_from": period and period["date_from"],
            "date_to": period and period["date_to"],
            "amount": amount,
        }
        return line, charge

    def _get_penalty_period_label(self, period):
        return self.env._(
            "%(invoice)s due %(due)s: %(base)s × %(rate)s %% × %(days)s/%(day_count)s days "
            "(%(date_from)s – %(date_to)s)",
            invoice=self.name,
            due=format_date(self.env, period["due_date"]),
            base=formatLang(self.env, period["base"], currency_obj=self.currency_id),
            rate=formatLang(self.env, period["rate"], digits=2),
            days=period["days"],
            day_count=period["day_count"],
            date_from=format_date(self.env, period["date_from"]),
            date_to=format_date(self.env, period["date_to"]),
        )

    @api.model
    def _prepare_penalty_invoice_vals(self, company, partner, currency, on_date, lines):
        """Values of a penalty invoice (note de débit): no VAT, penalties are damages."""
        vals = {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": on_date,
            "is_late_payment_invoice": True,
            "invoice_origin": ", ".join(
                self.browse(sorted({charge["move_id"] for __, charge in lines})).mapped("name")
            ),
            "invoice_line_ids": [Command.create(line) for line, __ in lines],
        }
        if company.late_payment_journal_id:
            vals["journal_id"] = company.late_payment_journal_id.id
        return vals

    # ------------------------------------------------------------------
    # BUSINESS: invoice mention
    # ------------------------------------------------------------------

    def _get_late_payment_mention(self):
        """The legal mention on B2B invoices (C. com. L441-9, L441-10), in the reader's language:
        the company's own text when it has one ({rate} and {indemnity} replaced by figures), else the
        standard mention of the policy, translated as a whole. Empty for consumers, credit notes and
        penalty invoices."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.is_late_payment_invoice:
            return ""
        policy = self._get_penalty_policy()
        if policy.kind == "consumer":
            return ""
        day = (self.invoice_date_due or self.invoice_date or fields.Date.context_today(self)) + ONE_DAY
        try:
            rate = policy._get_rate(day, day)
        except UserError:
            rate = None  # the semester's rates are not known yet: the formula alone
        indemnity = policy.indemnity_amount and formatLang(
            self.env, policy.indemnity_amount, currency_obj=policy.indemnity_currency_id
        )
        text = self.company_id.late_payment_mention
        if text:
            figure = self.env._("%(rate)s %%", rate=formatLang(self.env, rate)) if rate is not None else ""
            return text.replace("{rate}", figure or policy._get_rate_description()).replace(
                "{indemnity}", indemnity or ""
            )
        return self._get_standard_late_payment_mention(policy, rate, indemnity)

    def _get_standard_late_payment_mention(self, policy, rate, indemnity):
        """One whole sentence per case (rate known or not, contractual or ECB-based, indemnity or
        not), so that each language has its own sentence rather than pieces put together."""
        values = {
            "rate": rate is not None and formatLang(self.env, rate),
            "margin": formatLang(self.env, policy.ecb_margin, digits=2).rstrip("0").rstrip(".,"),
            "indemnity": indemnity,
        }
        if policy.kind == "contractual" and indemnity:
            return self.env._(
                "Late payment: penalties at the annual rate of %(rate)s %% are due from the day after the "
                "due date, without a reminder being needed, plus a fixed indemnity for recovery costs of "
                "%(indemnity)s (French Commercial Code L441-10 and D441-5). No discount for early payment.",
                **values,
            )
        if policy.kind == "contractual":
            return self.env._(
                "Late payment: penalties at the annual rate of %(rate)s %% are due from the day after the "
                "due date, without a reminder being needed (French Commercial Code L441-10). No discount for "
                "early payment.",
                **values,
            )
        if values["rate"] and indemnity:
            return self.env._(
                "Late payment: penalties at the annual rate of %(rate)s %% (ECB main refinancing rate + "
                "%(margin)s points) are due from the day after the due date, without a reminder being "
                "needed, plus a fixed indemnity for recovery costs of %(indemnity)s (French Commercial Code "
                "L441-10 and D441-5). No discount for early payment.",
                **values,
            )
        if values["rate"]:
            return self.env._(
                "Late payment: penalties at the annual rate of %(rate)s %% (ECB main refinancing rate + "
                "%(margin)s points) are due from the day after the due date, without a reminder being "
                "needed (French Commercial Code L441-10). No discount for early payment.",
                **values,
            )
        if indemnity:
            return self.env._(
                "Late payment: penalties at the annual rate of the ECB main refinancing rate + %(margin)s "
                "points are due from the day after the due date, without a reminder being needed, plus a "
                "fixed indemnity for recovery costs of %(indemnity)s (French Commercial Code L441-10 and "
                "D441-5). No discount for early payment.",
                **values,
            )
        return self.env._(
            "Late payment: penalties at the annual rate of the ECB main refinancing rate + %(margin)s "
            "points are due from the day after the due date, without a reminder being needed (French "
            "Commercial Code L441-10). No discount for early payment.",
            **values,
        )

    # ------------------------------------------------------------------
    # PUBLIC ACTIONS
    # ------------------------------------------------------------------

    def action_open_late_payment_settings(self):
        return self.company_id[:1].action_open_late_payment_settings()

    def action_create_late_payment_invoices(self):
        invoices = self._create_late_payment_invoices(fields.Date.context_today(self))
        if not invoices:
            raise UserError(self.env._("No late-payment penalty is owed that was not invoiced yet."))
        return invoices._get_records_action(name=self.env._("Penalty Invoices"))
