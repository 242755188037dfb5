"""Dunning-run benchmark: our daily run (recouvrement.dunning.run) against OCA
account_credit_control's credit.control.run.generate_credit_lines(), in the same run, on the same
ledger. Run by bench_dunning.sh (`make bench-dunning`); see README.md beside this file.

    python3 tests/benchmarks/bench_dunning.py -c ODOO_RC -d DB

The database must have recouvrement_credit and account_credit_control installed, without demo
data. The script builds the ledger in bulk (three entries through the ORM, cloned in SQL) and
commits it, with the OCA policy; then it times each side, every call in a transaction rolled back.
On a database it already built (same sizes) it reuses the ledger and its run date.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta

from benchlib import (
    LINE_AMOUNTS,
    MOVE_AMOUNTS,
    analyze,
    built_marker,
    clone_rows,
    invoice_columns,
    next_ids,
    open_registry,
    repeat_timed,
    require_modules,
    set_marker,
    temp_table,
)

import odoo
from odoo import Command, fields
from odoo.tools import SQL, float_round

MARKER = "recouvrement.bench.dunning"  # ir.config_parameter: sizes, run date, ids of the built ledger
TABLES = ("res_partner", "account_move", "account_move_line", "account_partial_reconcile")
SEED = 20261122
# Instalments of the two payment terms: (percent, days after the invoice date); the last takes the rest.
TERMS = {2: ((50, 30), (50, 60)), 3: ((40, 30), (30, 60), (30, 90))}
TEMPLATE_PAID = 40.0  # the template payment, reconciled with a template invoice of 100.00
OCA_LEVELS = ((1, 1, "first reminder"), (2, 15, "second reminder"), (3, 30, "last reminder"))


# ----------------------------------------------------------------------
# The ledger, planned in Python (deterministic), inserted in SQL
# ----------------------------------------------------------------------


def items_per_customer(customers, items):
    """1 to 19 open items a customer (10 on average), summing to ITEMS exactly."""
    counts = [1 + (n * 7919) % 19 for n in range(customers)]
    diff, n = items - sum(counts), 0
    while diff:
        k = n % customers
        if diff > 0:
            counts[k] += 1
            diff -= 1
        elif counts[k] > 1:
            counts[k] -= 1
            diff += 1
        n += 1
    return counts


def split_amount(total, instalments):
    """Instalment amounts of TOTAL under the payment term of INSTALMENTS, the last one taking the
    rounding rest, rounded half up like account.payment.term (currency.round)."""
    if instalments == 1:
        return [total]
    amounts = [float_round(total * percent / 100.0, 2) for percent, _days in TERMS[instalments][:-1]]
    return [*amounts, round(total - sum(amounts), 2)]


def plan_invoices(counts, run_date, rng):
    """For each customer, invoices covering its open items: 1 in 10 with 3 instalments (30/60/90
    days), 1 in 10 with 2 (30/60 days), the others 1 (due 30, 45 or 60 days after the invoice
    date); due dates from 120 days before RUN_DATE to 60 days after; invoice dates never after it.
    1 invoice in 10 is partly paid: 40 % of its first instalment, 10 days after the invoice date.
    Return [(customer index, invoice date, [(due date, amount)], paid, payment date)]."""
    invoices = []
    for customer, count in enumerate(counts):
        left = count
        while left:
            draw = rng.random()
            instalments = min(left, 3 if draw < 0.1 else 2 if draw < 0.2 else 1)
            left -= instalments
            total = round(rng.uniform(50, 5000), 2)
            if instalments == 1:
                due = run_date + timedelta(days=rng.randint(-120, 60))
                invoice_date = min(due - timedelta(days=rng.choice((30, 45, 60))), run_date)
                dues = [due]
            else:
                latest = 0 if instalments == 2 else -30
                invoice_date = run_date + timedelta(days=rng.randint(-150, latest))
                dues = [invoice_date + timedelta(days=days) for _percent, days in TERMS[instalments]]
            amounts = split_amount(total, instalments)
            paid = round(amounts[0] * 0.4, 2) if rng.random() < 0.1 else 0.0
            paid_on = min(invoice_date + timedelta(days=10), run_date)
            invoices.append((customer, invoice_date, list(zip(dues, amounts, strict=True)), paid, paid_on))
    return invoices


def make_templates(env, run_date):
    """Through the ORM, for a template customer: a posted invoice of 100.00 (one line, no tax),
    a second one reconciled with a posted bank entry of 40.00, and the two payment terms. Return
    the records the clones copy."""
    partner = env["res.partner"].create({"name": "Bench template customer", "is_company": True})
    moves = env["account.move"].with_context(tracking_disable=True)
    invoices = moves.create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": run_date - timedelta(days=30),
                "invoice_date_due": run_date,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Bench service", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                    )
                ],
            }
            for _n in range(2)
        ]
    )
    invoices._post(soft=False)
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], order="id", limit=1
    )
    receivable = partner.property_account_receivable_id
    payment = moves.create(
        {
            "move_type": "entry",
            "journal_id": bank.id,
            "date": run_date - timedelta(days=20),
            "line_ids": [
                Command.create(
                    {
                        "name": "Bench payment",
                        "account_id": bank.default_account_id.id,
                        "debit": TEMPLATE_PAID,
                    }
                ),
                Command.create(
                    {
                        "name": "Bench payment",
                        "account_id": receivable.id,
                        "partner_id": partner.id,
                        "credit": TEMPLATE_PAID,
                    }
                ),
            ],
        }
    )
    payment._post(soft=False)
    paid_invoice_line = invoices[1].line_ids.filtered(lambda line: line.display_type == "payment_term")
    payment_line = payment.line_ids.filtered(lambda line: line.account_id == receivable)
    (paid_invoice_line | payment_line).reconcile()
    terms = env["account.payment.term"].create(
        [
            {
                "name": f"Bench: {count} instalments",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": percent, "nb_days": days})
                    for percent, days in TERMS[count]
                ],
            }
            for count in sorted(TERMS)
        ]
    )
    env.flush_all()
    return {
        "invoice": invoices[0],
        "paid_invoice": invoices[1],
        "payment": payment,
        "invoice_line": invoices[0].line_ids.filtered(lambda line: line.display_type == "payment_term"),
        "product_line": invoices[0].line_ids.filtered(lambda line: line.display_type == "product"),
        "payment_line": payment_line,
        "bank_line": payment.line_ids - payment_line,
        "partial": paid_invoice_line.matched_credit_ids,
        "terms": dict(zip(sorted(TERMS), terms.ids, strict=True)),
    }


def insert_ledger(env, customer_ids, invoices, templates):
    """Clone the templates in SQL: one invoice per planned invoice (its product line, one
    receivable line per instalment), and for the partly paid ones a bank entry reconciled with
    the first instalment (account_partial_reconcile, matching number P<id>), with residual
    amounts, payment states and reconciled flags as Odoo computes them."""
    cr = env.cr
    cr.execute(
        "SELECT MAX(sequence_number) FROM account_move WHERE journal_id = %s",
        [templates["invoice"].journal_id.id],
    )
    first_invoice = cr.fetchone()[0] + 1
    cr.execute(
        "SELECT MAX(sequence_number) FROM account_move WHERE journal_id = %s",
        [templates["payment"].journal_id.id],
    )
    first_payment = cr.fetchone()[0] + 1
    move_ids = next_ids(cr, "account_move_id_seq", len(invoices))
    item_count = sum(len(dues) for _c, _d, dues, _p, _o in invoices)
    item_ids = iter(next_ids(cr, "account_move_line_id_seq", item_count))
    paid_count = sum(1 for invoice in invoices if invoice[3])
    payment_move_ids = iter(next_ids(cr, "account_move_id_seq", paid_count))
    payment_line_ids = iter(next_ids(cr, "account_move_line_id_seq", paid_count))
    partial_ids = iter(next_ids(cr, "account_partial_reconcile_id_seq", paid_count))
    invoice_rows, item_rows, payment_rows = [], [], []
    for n, (customer, invoice_date, dues, paid, paid_on) in enumerate(invoices):
        move_id, partner_id = move_ids[n], customer_ids[customer]
        total = round(sum(amount for _due, amount in dues), 2)
        partial_id = next(partial_ids) if paid else None
        invoice_rows.append(
            (
                move_id,
                partner_id,
                first_invoice + n,
                invoice_date,
                max(due for due, _amount in dues),
                total,
                round(total - paid, 2),
                "partial" if paid else "not_paid",
                templates["terms"].get(len(dues)),
            )
        )
        for k, (due, amount) in enumerate(dues):
            line_id = next(item_ids)
            paid_here = paid if k == 0 else 0.0
            item_rows.append(
                (
                    line_id,
                    move_id,
                    due,
                    amount,
                    round(amount - paid_here, 2),
                    f"P{partial_id}" if paid_here else None,
                )
            )
            if paid_here:
                payment_rows.append(
                    (
                        next(payment_move_ids),
                        next(payment_line_ids),
                        partial_id,
                        line_id,
                        partner_id,
                        first_payment + len(payment_rows),
                        paid_on,
                        paid,
                    )
                )
    temp_table(
        cr,
        "bench_invoice",
        [
            ("move_id", "int"),
            ("partner_id", "int"),
            ("number", "int"),
            ("invoice_date", "date"),
            ("due_date", "date"),
            ("total", "numeric"),
            ("residual", "numeric"),
            ("payment_state", "varchar"),
            ("term_id", "int"),
        ],
        invoice_rows,
    )
    temp_table(
        cr,
        "bench_item",
        [
            ("line_id", "int"),
            ("move_id", "int"),
            ("date_maturity", "date"),
            ("amount", "numeric"),
            ("residual", "numeric"),
            ("matching_number", "varchar"),
        ],
        item_rows,
    )
    temp_table(
        cr,
        "bench_payment",
        [
            ("move_id", "int"),
            ("line_id", "int"),
            ("partial_id", "int"),
            ("invoice_line_id", "int"),
            ("partner_id", "int"),
            ("number", "int"),
            ("date", "date"),
            ("paid", "numeric"),
        ],
        payment_rows,
    )
    insert_invoices(cr, templates)
    insert_payments(cr, templates)
    return len(invoice_rows), len(item_rows), len(payment_rows)


INVOICE_NAME = (
    "'INV/' || to_char(s.invoice_date, 'YYYY') || '/'"
    " || CASE WHEN s.number < 100000 THEN lpad(s.number::text, 5, '0') ELSE s.number::text END"
)


def insert_invoices(cr, templates):
    invoice_source = SQL(
        "(SELECT b.*, p.name AS partner_name, b.total / 100.0 AS factor, %s AS template_id"
        " FROM bench_invoice b JOIN res_partner p ON p.id = b.partner_id)",
        templates["invoice"].id,
    )
    clone_rows(
        cr,
        "account_move",
        invoice_source,
        {
            **invoice_columns(INVOICE_NAME),
            "invoice_date_due": "s.due_date",
            "invoice_payment_term_id": "s.term_id",
            "amount_residual": "s.residual",
            "amount_residual_signed": "s.residual",
            "payment_state": "s.payment_state",
        },
        MOVE_AMOUNTS,
    )
    common = {
        "move_id": "s.move_id",
        "move_name": INVOICE_NAME,
        "partner_id": "s.partner_id",
        "date": "s.invoice_date",
        "invoice_date": "s.invoice_date",
    }
    clone_rows(
        cr,
        "account_move_line",
        SQL(
            "(SELECT b.*, b.total / 100.0 AS factor, %s AS template_id FROM bench_invoice b)",
            templates["product_line"].id,
        ),
        {**common, "id": "nextval('account_move_line_id_seq')"},
        LINE_AMOUNTS,
    )
    clone_rows(
        cr,
        "account_move_line",
        SQL(
            "(SELECT i.*, b.partner_id, b.number, b.invoice_date, i.amount / 100.0 AS factor,"
            " %s AS template_id FROM bench_item i JOIN bench_invoice b ON b.move_id = i.move_id)",
            templates["invoice_line"].id,
        ),
        {
            **common,
            "id": "s.line_id",
            "name": INVOICE_NAME,
            "date_maturity": "s.date_maturity",
            "amount_residual": "s.residual",
            "amount_residual_currency": "s.residual",
            "matching_number": "s.matching_number",
        },
        LINE_AMOUNTS,
    )


def insert_payments(cr, templates):
    name = (
        "s.prefix || to_char(s.date, 'YYYY') || '/'"
        " || CASE WHEN s.number < 100000 THEN lpad(s.number::text, 5, '0') ELSE s.number::text END"
    )

    def source(template):
        return SQL(
            "(SELECT b.*, p.name AS partner_name, b.paid / %s AS factor, %s AS template_id,"
            " split_part(m.sequence_prefix, '/', 1) || '/' AS prefix"
            " FROM bench_payment b JOIN res_partner p ON p.id = b.partner_id, account_move m"
            " WHERE m.id = %s)",
            TEMPLATE_PAID,
            template.id,
            templates["payment"].id,
        )

    clone_rows(
        cr,
        "account_move",
        source(templates["payment"]),
        {
            "id": "s.move_id",
            "name": name,
            "sequence_prefix": "s.prefix || to_char(s.date, 'YYYY') || '/'",
            "sequence_number": "s.number",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "invoice_partner_display_name": "s.partner_name",
            "date": "s.date",
        },
        MOVE_AMOUNTS,
    )
    common = {"move_id": "s.move_id", "move_name": name, "date": "s.date", "partner_id": "s.partner_id"}
    clone_rows(
        cr,
        "account_move_line",
        source(templates["bank_line"]),
        {**common, "id": "nextval('account_move_line_id_seq')"},
        LINE_AMOUNTS,
    )
    clone_rows(
        cr,
        "account_move_line",
        source(templates["payment_line"]),
        {**common, "id": "s.line_id", "matching_number": "'P' || s.partial_id"},
        LINE_AMOUNTS,
    )
    clone_rows(
        cr,
        "account_partial_reconcile",
        source(templates["partial"]),
        {
            "id": "s.partial_id",
            "debit_move_id": "s.invoice_line_id",
            "credit_move_id": "s.line_id",
            "max_date": "s.date",
        },
        ("amount", "debit_amount_currency", "credit_amount_currency"),
    )


def retire_templates(templates):
    """The template entries back to draft (which undoes their reconciliation) and cancelled: they
    are no open items."""
    moves = templates["payment"] | templates["paid_invoice"] | templates["invoice"]
    moves.button_draft()
    moves.button_cancel()


def configure_oca(env, company):
    """OCA's policy: 3 levels 1, 15 and 30 days after the due date (email), on the company's
    receivable accounts, the company's default policy (so every customer's)."""
    template = env.ref("account_credit_control.email_template_credit_control_base")
    receivables = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench: 3 levels",
            "company_id": company.id,
            "account_ids": [Command.set(receivables.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": name,
                        "custom_mail_text": f"<p>{name}</p>",
                    }
                )
                for level, days, name in OCA_LEVELS
            ],
        }
    )
    company.credit_policy_id = policy
    return policy


def build_data(env, args):
    """Customers, their open invoices and partial payments, OCA's policy; committed, analyzed."""
    sizes = {"customers": args.customers, "items": args.items}
    data = built_marker(env, MARKER, sizes)
    if data:
        print(f"Reusing the ledger already built in this database (run date {data['run_date']}).")
        return data
    if args.items < args.customers:
        sys.exit("ERROR: --items must be at least --customers (every customer has an open item)")
    started = time.perf_counter()
    company = env.company
    run_date = fields.Date.context_today(env["res.partner"])
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    customer_ids = []
    for start in range(0, args.customers, 1000):
        customer_ids += partners.create(
            [
                {
                    "name": f"Bench customer {n:05d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": f"customer{n:05d}@example.com",
                }
                for n in range(start, min(start + 1000, args.customers))
            ]
        ).ids
    print(f"  {args.customers:,} customers ({time.perf_counter() - started:.1f} s)")
    templates = make_templates(env, run_date)
    invoices = plan_invoices(items_per_customer(args.customers, args.items), run_date, random.Random(SEED))
    counts = insert_ledger(env, customer_ids, invoices, templates)
    print(f"  {counts[0]:,} invoices, {counts[1]:,} open items, {counts[2]:,} partial payments (bulk SQL)")
    env.invalidate_all()
    retire_templates(templates)
    policy = configure_oca(env, company)
    env.flush_all()
    data = {
        "sizes": sizes,
        "run_date": fields.Date.to_string(run_date),
        "company": company.id,
        "oca_policy": policy.id,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    set_marker(env, MARKER, data)
    env.cr.commit()
    analyze(env.cr, TABLES)
    return data


def check_ledger(env, sample_size):
    """Prove that the bulk ledger is what Odoo would have stored: every entry balanced (SQL), and
    for a sample of invoices (as many of each kind: 1, 2 or 3 instalments, partly paid or not)
    and their payments, the stored residuals, reconciled flags, totals, payment states and due
    dates equal what the ORM's compute methods give, and the receivable lines equal the
    instalments of the payment term. Return (invoices, payments, problems), rolled back."""
    cr = env.cr
    problems = []
    cr.execute(
        """
        SELECT COUNT(*) FROM (
            SELECT move_id FROM account_move_line GROUP BY move_id
            HAVING ROUND(SUM(debit), 2) <> ROUND(SUM(credit), 2) OR ROUND(SUM(balance), 2) <> 0) AS unbalanced
        """
    )
    unbalanced = cr.fetchone()[0]
    if unbalanced:
        problems.append(f"{unbalanced} unbalanced entries")
    cr.execute(
        """
        SELECT id FROM (
            SELECT id, row_number() OVER (
                       PARTITION BY payment_state, invoice_payment_term_id ORDER BY mod(id, 97), id) AS n
              FROM account_move
             WHERE move_type = 'out_invoice' AND state = 'posted') AS kinds
         ORDER BY n, id
         LIMIT %s
        """,
        [sample_size],
    )
    invoices = env["account.move"].browse([row[0] for row in cr.fetchall()])
    moves = invoices | invoices.line_ids.matched_credit_ids.credit_move_id.move_id
    lines = moves.line_ids
    move_fields = (
        "amount_total",
        "amount_residual",
        "amount_residual_signed",
        "amount_total_signed",
        "payment_state",
    )
    line_fields = ("amount_residual", "amount_residual_currency", "reconciled")
    env.invalidate_all()
    stored = {
        record: {name: record[name] for name in names}
        for records, names in ((moves, move_fields), (lines, line_fields))
        for record in records
    }
    due = {move: move.invoice_date_due for move in invoices}
    lines._constrains_matching_number()
    # As the framework recomputes them (compute_value protects the fields from their inverses).
    for records, name in ((lines, "amount_residual"), (moves, "amount_total"), (moves, "payment_state")):
        records._fields[name].compute_value(records)
    for record, values in stored.items():
        for name, value in values.items():
            if record[name] != value and not (isinstance(value, float) and abs(record[name] - value) < 0.005):
                problems.append(f"{record.display_name}: {name} stored {value}, computed {record[name]}")
    for invoice in invoices:
        terms = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        actual = sorted((line.date_maturity, round(line.balance, 2)) for line in terms)
        if invoice.invoice_payment_term_id:
            needed = sorted(
                (key["date_maturity"], round(value["balance"], 2))
                for key, value in invoice.needed_terms.items()
            )
            if actual != needed:
                problems.append(f"{invoice.name}: instalments {actual}, payment term gives {needed}")
        if due[invoice] != max(date for date, _balance in actual):
            problems.append(f"{invoice.name}: due date {due[invoice]}, last instalment {actual[-1][0]}")
    cr.rollback()
    return len(invoices), len(moves) - len(invoices), problems


def data_sizes(env, data):
    """What the ledger holds, counted in SQL as both sides see it: posted, open receivable items."""
    cr = env.cr
    run_date = data["run_date"]
    cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT l.partner_id), COUNT(DISTINCT l.move_id),
               COUNT(*) FILTER (WHERE l.amount_residual <> l.balance),
               COUNT(*) FILTER (WHERE %(date)s::date - l.date_maturity <= 0),
               COUNT(*) FILTER (WHERE %(date)s::date - l.date_maturity BETWEEN 1 AND 14),
               COUNT(*) FILTER (WHERE %(date)s::date - l.date_maturity BETWEEN 15 AND 29),
               COUNT(*) FILTER (WHERE %(date)s::date - l.date_maturity >= 30),
               MIN(l.date_maturity - %(date)s::date), MAX(l.date_maturity - %(date)s::date)
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
           AND NOT l.reconciled AND l.amount_residual <> 0
        """,
        {"date": run_date},
    )
    items, customers, invoices, partly, ahead, late1, late15, late30, earliest, latest = cr.fetchone()
    cr.execute(
        """
        SELECT n, COUNT(*) FROM (
            SELECT COUNT(*) AS n FROM account_move_line
             WHERE display_type = 'payment_term' AND parent_state = 'posted' AND move_id IN (
                   SELECT move_id FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id
                    WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
                      AND l.parent_state = 'posted')
          GROUP BY move_id) AS per_invoice
        GROUP BY n ORDER BY n
        """
    )
    instalments = " / ".join(f"{count:,}" for _n, count in cr.fetchall())
    return {
        "customers with open items": customers,
        "invoices with open items": invoices,
        "  with 1 / 2 / 3 instalments": instalments,
        "open receivable items": items,
        "  partly paid (partial reconciliation)": partly,
        "  not yet due (up to 60 days ahead)": ahead,
        "  1 to 14 days late": late1,
        "  15 to 29 days late": late15,
        "  30 days late or more (up to 120)": late30,
        "due dates, days from the run date": f"{earliest} to {latest}",
        "run date": run_date,
    }


# ----------------------------------------------------------------------
# The runs compared
# ----------------------------------------------------------------------


def ours_installed(env):
    return "recouvrement.dunning.run" in env


def ours_run(env, company, run_date):
    """Our daily run: levels, exclusions, grouping, communications created (their PDF and mail
    are queued, not done here). Return (communications, communication lines)."""
    run = env["recouvrement.dunning.run"].create({"company_id": company.id, "date": run_date})
    run._generate()
    return len(run.communication_ids), len(run.communication_ids.line_ids)


def ours_setup(env, company):
    """The installed standard scenario as the company's default, as a fresh install sets it (a
    database created before the dunning engine gets it here). Describe it."""
    if not company.dunning_scenario_id:
        company.dunning_scenario_id = env.ref("recouvrement_credit.dunning_scenario_standard")
        env.cr.commit()  # the timed repetitions are rolled back: keep the setting
    scenarios = company.dunning_scenario_id
    return "; ".join(
        f"{one.display_name}: "
        + ", ".join(f"level {level.level} at {level.day_offset:+d} days" for level in one.level_ids)
        for one in scenarios
    )


def oca_run(env, company, run_date, policy):
    """OCA's run for the date with our bench policy: credit control lines, no communication yet
    (OCA groups them into communications when they are sent). Return the run's id."""
    run = env["credit.control.run"].create(
        {"company_id": company.id, "date": run_date, "policy_ids": [Command.set(policy.ids)]}
    )
    run.generate_credit_lines()
    return run.id


def oca_counts(env, run_id):
    """Lines per level and customers of OCA's run (read before the rollback, outside the timing)."""
    env.cr.execute(
        "SELECT level, COUNT(*), COUNT(DISTINCT partner_id) FROM credit_control_line"
        " WHERE run_id = %s GROUP BY level ORDER BY level",
        [run_id],
    )
    levels = env.cr.fetchall()
    env.cr.execute("SELECT COUNT(DISTINCT partner_id) FROM credit_control_line WHERE run_id = %s", [run_id])
    return {
        "lines": sum(count for _level, count, _partners in levels),
        "customers": env.cr.fetchone()[0],
        "per level": ", ".join(f"level {level}: {count:,}" for level, count, _partners in levels),
    }


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=10_000, help="customers (default: 10000)")
    parser.add_argument("--items", type=int, default=100_000, help="open receivable items (default: 100000)")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions of our run (default: 5)")
    parser.add_argument("--oca-reps", type=int, default=3, help="timed repetitions of OCA's run (default: 3)")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs first (default: 1)")
    parser.add_argument(
        "--budget",
        type=float,
        default=900.0,
        help="seconds one side may take in all; a slower side gets fewer repetitions (default: 900)",
    )
    parser.add_argument("--min-reps", type=int, default=1, help="repetitions at least (default: 1)")
    parser.add_argument("--skip-oca", action="store_true", help="time our run only")
    parser.add_argument(
        "--check",
        type=int,
        default=300,
        metavar="N",
        help="recompute N invoices and their payments with the ORM, compare with the bulk data (default:"
        " 300; 0: skip)",
    )
    return parser.parse_args(argv)


def measure_both(env, args, data):
    company = env["res.company"].browse(data["company"])
    run_date = date.fromisoformat(data["run_date"])
    results = {}
    if ours_installed(env):
        print(f"Ours: {ours_setup(env, company)}")
        stats, counts = repeat_timed(
            env,
            lambda: ours_run(env, company, run_date),
            reps=args.reps,
            warmups=args.warmups,
            budget=args.budget,
            min_reps=args.min_reps,
            label="ours",
            after=lambda result: result,
        )
        results["ours"] = (stats, {"communications": counts[0], "lines": counts[1]})
    else:
        print("ours: not installed (no model recouvrement.dunning.run in this database)")
    if not args.skip_oca:
        policy = env["credit.control.policy"].browse(data["oca_policy"])
        stats, counts = repeat_timed(
            env,
            lambda: oca_run(env, company, run_date, policy),
            reps=args.oca_reps,
            warmups=args.warmups,
            budget=args.budget,
            min_reps=args.min_reps,
            label="OCA",
            after=lambda run_id: oca_counts(env, run_id),
        )
        results["oca"] = (stats, counts)
    return results


def print_results(sizes, data, results):
    print()
    print("Data")
    for name, value in sizes.items():
        print(f"  {name:<45} {value:>15,}" if isinstance(value, int) else f"  {name:<45} {value:>15}")
    print(f"  {'ledger build (bulk), seconds':<45} {data['build_seconds']:>15}")
    print()
    header = f"{'dunning run':<58} {'n':>3} {'median':>10} {'min':>10} {'max':>10}  produced"
    print(header)
    print("-" * len(header))
    labels = {
        "ours": "ours: recouvrement.dunning.run._generate()",
        "oca": "OCA: credit.control.run.generate_credit_lines()",
    }
    for side in ("ours", "oca"):
        if side not in results:
            print(f"{labels[side]:<58} {'not installed' if side == 'ours' else 'skipped'}")
            continue
        stats, counts = results[side]
        produced = (
            f"{counts['communications']:,} communications, {counts['lines']:,} lines"
            if side == "ours"
            else f"{counts['lines']:,} lines, {counts['customers']:,} customers ({counts['per level']})"
        )
        print(
            f"{labels[side]:<58} {stats['n']:>3} {stats['median'] / 1000:>10.2f} {stats['min'] / 1000:>10.2f}"
            f" {stats['max'] / 1000:>10.2f}  {produced}"
        )
    print("(seconds; n = timed repetitions, each in a transaction rolled back)")
    if "ours" in results and "oca" in results:
        ours, oca = results["ours"][0]["median"], results["oca"][0]["median"]
        ratio = oca / ours
        print(
            f"OCA/ours: {ratio:.1f}×   targets: ours ≤ 60 s: {'PASS' if ours <= 60_000 else 'FAIL'};"
            f" ≥ 5× faster than OCA: {'PASS' if ratio >= 5 else 'FAIL'}"
        )


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_credit", "account_credit_control"))
        print("Building the ledger (bulk: three ORM entries cloned in SQL)…")
        data = build_data(env, args)
        print(f"  built in {data['build_seconds']} s")
        if args.check:
            invoices, payments, problems = check_ledger(env, args.check)
            print(
                f"  ledger check, {invoices} invoices and {payments} payments recomputed by the ORM:"
                f" {'; '.join(problems[:10]) if problems else 'as stored'}"
            )
            if problems:
                return 1
        sizes = data_sizes(env, data)
        print("Measuring…")
        results = measure_both(env, args, data)
        cr.rollback()
    print_results(sizes, data, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
