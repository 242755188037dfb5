"""The customer's collections pages: the statement of the commercial partner in one company, its
documents, and what the customer can do (pay, dispute, promise, ask for a payment plan, write to
the collector).

Two doors lead to the same pages: ``/my/collections`` for a signed-in portal user (any contact of
the customer company), and ``/collections/<token>`` for the link a reminder carries (no login).
Every handler first resolves the *scope* (customer, company, acting contact) and reads everything in
sudo within it; whatever is not in the scope gets the same answer as what does not exist."""

import ast
import base64
import binascii
import io
from dataclasses import dataclass

import werkzeug
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import format_amount, get_lang

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.base.models.res_lang import intersperse
from odoo.addons.payment import utils as payment_utils
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.recouvrement_portal_statement import FILTERS

PREFIX_USER = "/my/collections"
PREFIX_TOKEN = "/collections/<string:token>"
RECORD_MODELS = {
    "dispute": "recouvrement.dispute",
    "promise": "recouvrement.promise",
    "plan": "recouvrement.payment.plan",
}


class InvalidLink(Exception):
    """A forged, expired or revoked link."""


@dataclass
class Scope:
    """Who asks: the customer (commercial partner, sudo), the contact acting for it, the company
    shown, the companies it may switch to, and the URL prefix of the pages."""

    partner: object
    contact: object
    company: object
    companies: object
    base: str
    token: str = None

    def url(self, suffix="", **params):
        query = werkzeug.urls.url_encode({k: v for k, v in params.items() if v not in (None, False, "")})
        company = f"company_id={self.company.id}" if self.token is None and len(self.companies) > 1 else ""
        query = "&".join(part for part in (query, company) if part)
        return f"{self.base}{suffix}" + (f"?{query}" if query else "")


def routes(*suffixes, **kwargs):
    """The same handler behind both doors."""
    if kwargs.get("type") == "http":
        kwargs["website"] = True
    paths = [prefix + suffix for prefix in (PREFIX_USER, PREFIX_TOKEN) for suffix in suffixes]
    return http.route(paths, auth="public", sitemap=False, **kwargs)


class CollectionsPortal(PaymentPortal):
    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "collections_count" in counters:
            partner = request.env.user.partner_id
            statement = request.env["recouvrement.portal.statement"]
            companies = statement._get_customer_companies(partner)
            values["collections_count"] = (
                request.env["account.move.line"]
                .sudo()  # sudo: portal users cannot read journal items; this counts their customer's only
                .search_count(
                    [
                        ("partner_id", "child_of", partner.commercial_partner_id.id),
                        ("company_id", "in", companies.ids),
                        ("account_id.account_type", "=", "asset_receivable"),
                        ("parent_state", "=", "posted"),
                        ("reconciled", "=", False),
                        ("amount_residual", "!=", 0),
                    ]
                )
                if companies
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    def _get_scope(self, token=None, company_id=None):
        """The scope of the request, or InvalidLink / NotFound. A token wins over the session."""
        statement = request.env["recouvrement.portal.statement"]
        if token is not None:
            link = request.env["recouvrement.portal.link"]._resolve(token)
            if not link:
                raise InvalidLink()
            # sudo: the link's token is the credential; it opens this one customer in this one company
            partner = link.partner_id.sudo()
            return Scope(
                partner,
                partner,
                link.company_id.sudo(),  # sudo: the token is the credential for this company
                link.company_id.sudo(),  # sudo: the only company the link may switch to
                f"/collections/{token}",
                token,
            )
        user = request.env.user
        if user._is_public():
            raise werkzeug.exceptions.Forbidden()
        # sudo: the signed-in user's own contact; the scope reads its customer, beyond portal rights
        contact = user.partner_id.sudo()
        partner = contact.commercial_partner_id
        companies = statement._get_customer_companies(partner)
        company_id = PaymentPortal._cast_as_int(company_id)
        company = companies.filtered(lambda c: c.id == company_id) if company_id else companies[:1]
        if not company:
            raise NotFound()
        return Scope(partner, contact, company, companies, PREFIX_USER)

    def _with_scope(self, token, company_id, handler):
        """Run HANDLER(scope) in the customer's language; invalid links get a plain page."""
        try:
            scope = self._get_scope(token, company_id)
        except InvalidLink:
            return request.render("recouvrement_portal.portal_link_invalid", status=404)
        except werkzeug.exceptions.Forbidden:
            return request.redirect(
                f"/web/login?redirect={werkzeug.urls.url_quote(request.httprequest.full_path)}"
            )
        if token is not None and scope.partner.lang:
            request.update_context(lang=scope.partner.lang)
        return handler(scope)

    def _get_record(self, scope, kind, record_id):
        """A dispute, promise or plan of the scope's customer and company, else NotFound."""
        model = RECORD_MODELS.get(kind)
        if not model:
            raise NotFound()
        # sudo: portal users have no access to this model; checked below to be the scope's, else 404
        record = request.env[model].sudo().browse(PaymentPortal._cast_as_int(record_id) or 0).exists()
        if not record or record.partner_id != scope.partner or record.company_id != scope.company:
            raise NotFound()
        return record

    def _get_lines(self, scope, move_ids):
        """The scope's open items on the invoices MOVE_IDS; an unknown or foreign id is refused."""
        ids = self._parse_ids(move_ids)
        if not ids:
            raise UserError(request.env._("Choose at least one invoice."))
        moves = request.env["recouvrement.portal.statement"]._get_payable_moves(
            scope.partner, scope.company, ids
        )
        if len(moves) != len(set(ids)):
            raise UserError(request.env._("Some of the invoices you chose are not among your open invoices."))
        return moves.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and line.amount_residual > 0
            )
        )

    @staticmethod
    def _parse_ids(value):
        if isinstance(value, (list, tuple)):
            values = value
        else:
            values = (value or "").split(",")
        ids = [PaymentPortal._cast_as_int(v) for v in values]
        if any(v is None or v <= 0 for v in ids):
            return []
        return ids

    @http.route("/c/<string:code>", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def portal_collections_short(self, code, **kw):
        """The short link a letter prints (and its QR code): the statement its code opens, or the
        same plain page as any bad link."""
        link = request.env["recouvrement.portal.link"]._resolve_short_code(code)
        if not link:
            return request.render("recouvrement_portal.portal_link_invalid", status=404)
        return request.redirect(f"/collections/{code.strip().lower()}", code=303)

    # ------------------------------------------------------------------
    # Statement
    # ------------------------------------------------------------------

    def _prepare_statement_values(self, scope, filterby="all", error=None, done=None, form=None, page=None):
        """The statement page's values; with PAGE, its items are that page's (``_items_per_page``),
        without, all of them (the XLSX export)."""
        today = fields.Date.context_today(request.env.user)
        statement_model = request.env["recouvrement.portal.statement"]
        filterby = filterby if filterby in FILTERS else "all"
        step = self._items_per_page
        page = max(PaymentPortal._cast_as_int(page) or 1, 1) if page is not None else None
        statement = statement_model._get_statement(
            scope.partner,
            scope.company,
            today,
            filterby,
            offset=(page - 1) * step if page else 0,
            limit=step if page else None,
        )
        company = scope.company
        url_args = {"filterby": filterby} if filterby != "all" else {}
        if scope.token is None and len(scope.companies) > 1:
            url_args["company_id"] = company.id
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "collections",
            "scope": scope,
            "customer": scope.partner,
            "company": company,
            "res_company": company,
            "statement": statement,
            "filterby": filterby,
            "filters": self._get_filter_labels(),
            "today": today,
            "pager": portal_pager(
                url=scope.base, total=statement["total"], page=page or 1, step=step, url_args=url_args
            ),
            "records": statement_model._get_records(scope.partner, company),
            "letters": statement_model._get_letters(scope.partner, company),
            "dispute_categories": request.env["recouvrement.dispute"]
            ._fields["category"]
            ._description_selection(request.env),
            "promise_latest": fields.Date.add(today, days=company.portal_promise_max_days),
            "error": error,
            "done": done,
            "form": form or {},
            "format_amount": self._get_amount_formatter(),
            "format_date": self._get_date_formatter(),
        }

    @staticmethod
    def _get_amount_formatter():
        """``format_amount`` for the hundreds of amounts of a statement page, with the language's
        separators read once instead of for each amount (what most of the page's rendering time
        went to); the same text as ``format_amount``."""
        lang = get_lang(request.env)
        grouping = ast.literal_eval(lang.grouping)

        def format_statement_amount(amount, currency):
            integer, _dot, decimals = (f"%.{currency.decimal_places}f" % currency.round(amount)).partition(
                "."
            )
            formatted = intersperse(integer, grouping, lang.thousands_sep or "")[0]
            if decimals:
                formatted = f"{formatted}{lang.decimal_point}{decimals}"
            formatted = formatted.replace(" ", "\N{NO-BREAK SPACE}").replace(
                "-", "-\N{ZERO WIDTH NO-BREAK SPACE}"
            )
            if currency.position == "before":
                return f"{currency.symbol or ''}\N{NO-BREAK SPACE}{formatted}"
            return f"{formatted}\N{NO-BREAK SPACE}{currency.symbol or ''}"

        return format_statement_amount

    @staticmethod
    def _get_date_formatter():
        """The items' dates in the language's date format, read once for the page."""
        date_format = get_lang(request.env).date_format
        return lambda date: date.strftime(date_format) if date else ""

    def _get_filter_labels(self):
        _ = request.env._
        return {
            "all": _("All open items"),
            "overdue": _("Overdue"),
            "disputed": _("Disputed"),
            "in_plan": _("In a payment plan"),
        }

    def _render_statement(self, scope, status=200, page=1, **kwargs):
        return request.render(
            "recouvrement_portal.portal_collections",
            self._prepare_statement_values(scope, page=page, **kwargs),
            status=status,
        )

    @routes("", "/page/<int:page>", type="http", methods=["GET"])
    def portal_collections(self, token=None, company_id=None, filterby="all", done=None, page=1, **kw):
        return self._with_scope(
            token,
            company_id,
            lambda scope: self._render_statement(scope, filterby=filterby, done=done, page=page),
        )

    @routes("/statement.pdf", type="http", methods=["GET"])
    def portal_collections_pdf(self, token=None, company_id=None, **kw):
        def handler(scope):
            # sudo: portal users cannot render reports; this renders the scope's customer only
            report = request.env["ir.actions.report"].sudo().with_company(scope.company)
            pdf, _type = report.with_context(lang=scope.partner.lang)._render_qweb_pdf(
                "recouvrement_credit.action_report_statement_of_account",
                scope.partner.ids,
                data={"date": fields.Date.to_string(fields.Date.context_today(request.env.user))},
            )
            return self._file_response(pdf, "application/pdf", self._statement_filename(scope, "pdf"))

        return self._with_scope(token, company_id, handler)

    @routes("/statement.xlsx", type="http", methods=["GET"])
    def portal_collections_xlsx(self, token=None, company_id=None, **kw):
        def handler(scope):
            values = self._prepare_statement_values(scope)
            content = self._build_xlsx(values)
            return self._file_response(
                content,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                self._statement_filename(scope, "xlsx"),
            )

        return self._with_scope(token, company_id, handler)

    def _statement_filename(self, scope, extension):
        today = fields.Date.to_string(fields.Date.context_today(request.env.user))
        return f"{request.env._('Statement')}-{scope.partner.name}-{today}.{extension}".replace("/", "-")

    def _build_xlsx(self, values):
        """The statement as a workbook: header, aged balance, open items with the running balance."""
        import xlsxwriter

        _ = request.env._
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Statement"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        statement = values["statement"]
        sheet.write(0, 0, values["company"].name, bold)
        sheet.write(1, 0, _("Customer"))
        sheet.write(1, 1, values["customer"].name)
        sheet.write(2, 0, _("Date"))
        sheet.write_datetime(2, 1, fields.Datetime.to_datetime(values["today"]), date_format)
        sheet.write(3, 0, _("Balance"))
        sheet.write_number(3, 1, statement["balance"], money)
        sheet.write(4, 0, _("Overdue"))
        sheet.write_number(4, 1, statement["overdue"], money)
        aged_labels = self._get_aged_labels()
        for column, (key, label) in enumerate(aged_labels.items()):
            sheet.write(6, column, label, bold)
            sheet.write_number(7, column, statement["aged"][key], money)
        headers = [
            _("Document"),
            _("Type"),
            _("Date"),
            _("Due Date"),
            _("Days Late"),
            _("Currency"),
            _("Original Amount"),
            _("Amount Due"),
            _("Balance"),
        ]
        for column, header in enumerate(headers):
            sheet.write(9, column, header, bold)
        kinds = self._get_kind_labels()
        for row, item in enumerate(statement["items"], start=10):
            sheet.write(row, 0, item["move"].name)
            sheet.write(row, 1, kinds.get(item["kind"], ""))
            sheet.write_datetime(row, 2, fields.Datetime.to_datetime(item["date"]), date_format)
            sheet.write_datetime(row, 3, fields.Datetime.to_datetime(item["date_due"]), date_format)
            sheet.write_number(row, 4, item["days_late"])
            sheet.write(row, 5, item["currency"].name)
            sheet.write_number(row, 6, item["amount_original"], money)
            sheet.write_number(row, 7, item["amount_due"], money)
            sheet.write_number(row, 8, item["balance"], money)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 8, 14)
        workbook.close()
        return output.getvalue()

    def _get_aged_labels(self):
        _ = request.env._
        return {
            "not_due": _("Not due"),
            "days_1_30": _("1-30 days"),
            "days_31_60": _("31-60 days"),
            "days_61_90": _("61-90 days"),
            "days_over_90": _("Over 90 days"),
            "total": _("Total"),
        }

    def _get_kind_labels(self):
        _ = request.env._
        return {
            "invoice": _("Invoice"),
            "instalment": _("Instalment"),
            "credit_note": _("Credit note"),
            "payment": _("Unapplied payment"),
            "other": _("Other"),
        }

    @staticmethod
    def _file_response(content, mimetype, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    # ------------------------------------------------------------------
    # Documents: reminders and letters, proofs, plan agreements, invoices
    # ------------------------------------------------------------------

    @routes("/letter/<int:communication_id>", type="http", methods=["GET"])
    def portal_collections_letter(self, communication_id, token=None, company_id=None, proof=None, **kw):
        def handler(scope):
            letters = request.env["recouvrement.portal.statement"]._get_letters(scope.partner, scope.company)
            communication = letters.filtered(lambda c: c.id == communication_id)
            if not communication:
                raise NotFound()
            dispatches = communication.dispatch_ids
            if proof:
                attachment = dispatches.filtered("proof_attachment_id")[:1].proof_attachment_id
                if not attachment:
                    raise NotFound()
                return self._file_response(attachment.raw, attachment.mimetype, attachment.name)
            attachment = dispatches.filtered("attachment_id")[:1].attachment_id
            if attachment:
                return self._file_response(attachment.raw, "application/pdf", attachment.name)
            report = communication.level_id._get_letter_report()
            pdf, _type = (
                request.env["ir.actions.report"]
                .sudo()  # sudo: portal users cannot render reports; the letter is the scope's
                .with_company(scope.company)
                .with_context(lang=scope.partner.lang)
                ._render_qweb_pdf(report, communication.ids)
            )
            return self._file_response(pdf, "application/pdf", f"{communication.name.replace('/', '-')}.pdf")

        return self._with_scope(token, company_id, handler)

    @routes("/invoice/<int:move_id>", type="http", methods=["GET"])
    def portal_collections_invoice(self, move_id, token=None, company_id=None, **kw):
        def handler(scope):
            # sudo: portal users cannot read invoices; checked below to be the scope's, else 404
            move = request.env["account.move"].sudo().browse(move_id).exists()
            if (
                not move
                or move.commercial_partner_id != scope.partner
                or move.company_id != scope.company
                or move.state != "posted"
                or not move.is_sale_document()
            ):
                raise NotFound()
            pdf, _type = (
                request.env["ir.actions.report"]
                .sudo()  # sudo: portal users cannot render reports; the invoice was checked above
                .with_company(scope.company)
                .with_context(lang=scope.partner.lang)
                ._render_qweb_pdf("account.account_invoices", move.ids)
            )
            return self._file_response(pdf, "application/pdf", f"{move.name.replace('/', '-')}.pdf")

        return self._with_scope(token, company_id, handler)

    @routes("/<string:kind>/<int:record_id>", type="http", methods=["GET"])
    def portal_collections_record(self, kind, record_id, token=None, company_id=None, done=None, **kw):
        def handler(scope):
            record = self._get_record(scope, kind, record_id)
            values = {
                **self._prepare_portal_layout_values(),
                "page_name": "collections",
                "scope": scope,
                "company": scope.company,
                "res_company": scope.company,
                "kind": kind,
                "record": record,
                "chatter": record._get_portal_chatter_values(scope),
                "done": done,
                "error": None,
                "format_amount": lambda amount, currency: format_amount(request.env, amount, currency),
            }
            return request.render("recouvrement_portal.portal_collections_record", values)

        return self._with_scope(token, company_id, handler)

    @routes("/plan/<int:record_id>/agreement.pdf", type="http", methods=["GET"])
    def portal_collections_plan_pdf(self, record_id, token=None, company_id=None, **kw):
        def handler(scope):
            plan = self._get_record(scope, "plan", record_id)
            if plan.agreement_attachment_id:
                attachment = plan.agreement_attachment_id
                return self._file_response(attachment.raw, "application/pdf", attachment.name)
            pdf, _type = (
                request.env["ir.actions.report"]
                .sudo()  # sudo: portal users cannot render reports; _get_record checked the plan
                .with_company(scope.company)
                .with_context(lang=scope.partner.lang)
                ._render_qweb_pdf("recouvrement_credit.recouvrement_payment_plan_report", plan.ids)
            )
            return self._file_response(pdf, "application/pdf", f"{plan.name.replace('/', '-')}.pdf")

        return self._with_scope(token, company_id, handler)

    # ------------------------------------------------------------------
    # Acting
    # ------------------------------------------------------------------

    def _act(self, scope, action, form, redirect_suffix="", done=None):
        """Run ACTION() in a savepoint: bad input rolls back and shows its message on the page."""
        try:
            with request.env.cr.savepoint():
                result = action()
        except (UserError, ValidationError) as error:
            return self._render_statement(scope, status=400, error=error.args[0], form=form)
        return request.redirect(
            scope.url(
                redirect_suffix if not callable(redirect_suffix) else redirect_suffix(result), done=done
            )
        )

    @routes("/dispute", type="http", methods=["POST"])
    def portal_collections_dispute(self, token=None, company_id=None, **post):
        def handler(scope):
            def action():
                move_ids = self._parse_ids(post.get("move_id"))
                if len(move_ids) != 1:
                    raise UserError(request.env._("Choose the invoice you dispute."))
                move = request.env["recouvrement.portal.statement"]._get_payable_moves(
                    scope.partner, scope.company, move_ids
                )
                if not move:
                    raise UserError(
                        request.env._("Some of the invoices you chose are not among your open invoices.")
                    )
                request.env["recouvrement.portal.statement"]._check_portal_action(
                    scope.partner, scope.company, move, "dispute"
                )
                files = [
                    (upload.filename, upload.read())
                    for upload in request.httprequest.files.getlist("attachments")
                    if upload and upload.filename
                ]
                return (
                    request.env["recouvrement.dispute"]
                    .sudo()  # sudo: portal users cannot create disputes; the move is the scope's
                    ._portal_create(scope.contact, move, post.get("category"), post.get("message"), files)
                )

            return self._act(scope, action, post, lambda d: f"/dispute/{d.id}", done="dispute")

        return self._with_scope(token, company_id, handler)

    @routes("/promise", type="http", methods=["POST"])
    def portal_collections_promise(self, token=None, company_id=None, **post):
        def handler(scope):
            def action():
                lines = self._get_lines(scope, request.httprequest.form.getlist("move_ids"))
                request.env["recouvrement.portal.statement"]._check_portal_action(
                    scope.partner, scope.company, lines.move_id, "promise"
                )
                try:
                    date = fields.Date.to_date(post.get("date") or None)
                except ValueError:
                    date = None
                return (
                    request.env["recouvrement.promise"]
                    .sudo()  # sudo: portal users cannot create promises; lines are the scope's
                    ._portal_create(
                        scope.contact,
                        scope.company,
                        lines,
                        date,
                        PaymentPortal._cast_as_float(post.get("amount")),
                    )
                )

            return self._act(scope, action, post, lambda p: f"/promise/{p.id}", done="promise")

        return self._with_scope(token, company_id, handler)

    @routes("/plan", type="http", methods=["POST"])
    def portal_collections_plan(self, token=None, company_id=None, **post):
        def handler(scope):
            def action():
                lines = self._get_lines(scope, request.httprequest.form.getlist("move_ids"))
                request.env["recouvrement.portal.statement"]._check_portal_action(
                    scope.partner, scope.company, lines.move_id, "plan"
                )
                try:
                    date_first = fields.Date.to_date(post.get("date_first") or None)
                except ValueError:
                    date_first = None
                return (
                    request.env["recouvrement.payment.plan"]
                    .sudo()  # sudo: portal users cannot create plans; lines are the scope's
                    ._portal_request(
                        scope.contact,
                        scope.company,
                        lines,
                        PaymentPortal._cast_as_int(post.get("instalment_count")),
                        date_first,
                        post.get("interval"),
                    )
                )

            return self._act(scope, action, post, lambda p: f"/plan/{p.id}", done="plan")

        return self._with_scope(token, company_id, handler)

    @routes("/plan/<int:record_id>/sign", type="json", methods=["POST"])
    def portal_collections_plan_sign(
        self, record_id, token=None, company_id=None, name=None, signature=None, **kw
    ):
        try:
            scope = self._get_scope(token, company_id or request.httprequest.args.get("company_id"))
            plan = self._get_record(scope, "plan", record_id)
        except (InvalidLink, NotFound, werkzeug.exceptions.Forbidden):
            return {"error": request.env._("This payment plan cannot be signed.")}
        try:
            with request.env.cr.savepoint():
                base64.b64decode(signature or "", validate=True)
                plan._portal_sign(name, signature)
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        except (TypeError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        return {"force_refresh": True, "redirect_url": scope.url(f"/plan/{plan.id}", done="signed")}

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    @routes("/pay", type="http", methods=["GET"])
    def portal_collections_pay(
        self, token=None, company_id=None, move_ids=None, overdue=None, currency_id=None, **kw
    ):
        def handler(scope):
            statement = request.env["recouvrement.portal.statement"]
            today = fields.Date.context_today(request.env.user)
            if overdue:
                moves = statement._get_payable_moves(
                    scope.partner, scope.company, overdue_only=True, today=today
                )
            else:
                ids = self._parse_ids(request.httprequest.args.getlist("move_ids") or move_ids)
                moves = statement._get_payable_moves(scope.partner, scope.company, ids) if ids else None
                if not ids or len(moves) != len(set(ids)):
                    return self._render_statement(
                        scope,
                        status=400,
                        error=request.env._(
                            "Some of the invoices you chose are not among your open invoices."
                        )
                        if ids
                        else request.env._("Choose at least one invoice."),
                    )
            if not moves:
                return self._render_statement(
                    scope, status=400, error=request.env._("Nothing is left to pay.")
                )
            by_currency = {}
            for move in moves:
                by_currency.setdefault(move.currency_id, move.browse())
                by_currency[move.currency_id] |= move
            currency = next(
                (c for c in by_currency if c.id == PaymentPortal._cast_as_int(currency_id)),
                next(iter(by_currency)),
            )
            return request.render(
                "recouvrement_portal.portal_collections_pay",
                {
                    **self._prepare_portal_layout_values(),
                    **self._prepare_payment_values(scope, by_currency[currency]),
                    "page_name": "collections",
                    "scope": scope,
                    "company": scope.company,
                    "res_company": scope.company,
                    "by_currency": by_currency,
                    "pay_currency": currency,
                    "pay_moves": by_currency[currency],
                    "move_ids_param": ",".join(str(i) for i in moves.ids),
                    "credit_amount": -sum(
                        statement._get_credit_lines(scope.partner, scope.company, currency).mapped(
                            "amount_residual_currency"
                        )
                    ),
                    "format_amount": lambda amount, cur: format_amount(request.env, amount, cur),
                },
            )

        return self._with_scope(token, company_id, handler)

    @routes("/apply_credits", type="http", methods=["POST"])
    def portal_collections_apply_credits(self, token=None, company_id=None, move_ids=None, **post):
        """Apply the customer's credit notes and unapplied payments to the chosen invoices."""

        def handler(scope):
            statement = request.env["recouvrement.portal.statement"]
            ids = self._parse_ids(move_ids)
            moves = statement._get_payable_moves(scope.partner, scope.company, ids) if ids else None
            if not ids or len(moves) != len(set(ids)):
                return self._render_statement(
                    scope,
                    status=400,
                    error=request.env._("Some of the invoices you chose are not among your open invoices."),
                )
            try:
                with request.env.cr.savepoint():
                    statement._apply_credits(scope.partner, scope.company, moves)
            except (UserError, ValidationError) as error:
                return self._render_statement(scope, status=400, error=error.args[0])
            left = moves.filtered(lambda move: move.payment_state in ("not_paid", "partial"))
            if not left:
                return request.redirect(scope.url("", done="credits"))
            return request.redirect(scope.url("/pay", move_ids=",".join(str(i) for i in left.ids)))

        return self._with_scope(token, company_id, handler)

    @staticmethod
    def _get_amount_due(moves):
        """What is left to pay on MOVES (one currency): the residual, never the total."""
        return moves.currency_id.round(sum(moves.mapped("amount_residual")))

    @staticmethod
    def _payment_access_token(scope, moves):
        return payment_utils.generate_access_token(
            scope.partner.id, scope.company.id, moves.currency_id.id, *sorted(moves.ids)
        )

    def _prepare_payment_values(self, scope, moves):
        """The payment form's values for MOVES (one currency), through account_payment's providers."""
        amount = self._get_amount_due(moves)
        currency = moves.currency_id
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()  # sudo: as in account_payment; for the scope's company and customer
            ._get_compatible_providers(scope.company.id, scope.partner.id, amount, currency_id=currency.id)
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()  # sudo: as in account_payment, for the providers above
            ._get_compatible_payment_methods(providers_sudo.ids, scope.partner.id, currency_id=currency.id)
        )
        tokens_sudo = (
            # sudo: as in account_payment; the signed-in customer's own tokens, none for a link
            request.env["payment.token"].sudo()._get_available_tokens(providers_sudo.ids, scope.partner.id)
            if scope.token is None
            else request.env["payment.token"]
        )
        return {
            "amount": amount,
            "currency": currency,
            "partner_id": scope.partner.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": tokens_sudo,
            "show_tokenize_input_mapping": PaymentPortal._compute_show_tokenize_input_mapping(providers_sudo),
            "reference_prefix": None,
            "transaction_route": scope.url("/transaction", move_ids=",".join(str(i) for i in moves.ids)),
            "landing_route": scope.url("", done="paid"),
            "access_token": self._payment_access_token(scope, moves),
        }

    @routes("/transaction", type="json", methods=["POST"])
    def portal_collections_transaction(
        self, token=None, company_id=None, move_ids=None, access_token=None, **kwargs
    ):
        """Create the transaction paying the chosen invoices (one currency): its amount is what is
        left to pay on them, computed here, whatever the browser says."""
        try:
            scope = self._get_scope(token, company_id or request.httprequest.args.get("company_id"))
        except (InvalidLink, NotFound, werkzeug.exceptions.Forbidden) as error:
            raise ValidationError(request.env._("The access token is invalid.")) from error
        ids = self._parse_ids(move_ids or request.httprequest.args.get("move_ids"))
        moves = request.env["recouvrement.portal.statement"]._get_payable_moves(
            scope.partner, scope.company, ids
        )
        if (
            not ids
            or len(moves) != len(set(ids))
            or len(moves.currency_id) != 1
            or not payment_utils.check_access_token(
                access_token, scope.partner.id, scope.company.id, moves.currency_id.id, *sorted(moves.ids)
            )
        ):
            raise ValidationError(request.env._("The access token is invalid."))
        for key in ("amount", "currency_id", "partner_id", "reference_prefix", "csrf_token", "is_validation"):
            kwargs.pop(key, None)
        self._validate_transaction_kwargs(kwargs)
        kwargs["landing_route"] = scope.url("", done="paid")
        if scope.token is not None:  # no saved card for a visitor without an account
            kwargs["tokenization_requested"] = False
            if kwargs.get("flow") == "token":
                raise ValidationError(request.env._("The access token is invalid."))
        tx_sudo = self._create_transaction(
            amount=self._get_amount_due(moves),
            currency_id=moves.currency_id.id,
            partner_id=scope.partner.id,
            custom_create_values={"invoice_ids": [(6, 0, moves.ids)]},
            **kwargs,
        )
        return tx_sudo._get_processing_values()
