"""Helpers shared by the benchmarks (bench_credit.py, bench_dunning.py, bench_reporting.py):
opening the database, cloning posted journal entries in bulk SQL, the ledger of 100,000 items for
10,000 customers (``build_ledger``, ``check_ledger``), timing repeated calls and printing the
figures. Imported by the scripts beside it (their folder is first on sys.path when they run)."""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from datetime import timedelta

import odoo
from odoo import Command
from odoo.tools import SQL, float_round

# ----------------------------------------------------------------------
# Database
# ----------------------------------------------------------------------


def open_registry(config, database):
    """The registry of DATABASE, Odoo configured from CONFIG, warnings only in the output."""
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    return odoo.modules.registry.Registry(database)


def require_modules(env, names):
    """Exit with a message when one of the modules NAMES is not installed."""
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    missing = set(names) - installed
    if missing:
        sys.exit(f"ERROR: not installed in {env.cr.dbname}: {', '.join(sorted(missing))}")


def built_marker(env, key, sizes):
    """What a previous run of the same script recorded in ir.config_parameter KEY after building
    its data, or None when nothing was built; exits when the data built had other SIZES."""
    built = env["ir.config_parameter"].sudo().get_param(key)
    if not built:
        return None
    data = json.loads(built)
    if data["sizes"] != sizes:
        sys.exit(f"ERROR: this database holds benchmark data of other sizes ({built}): drop it first")
    return data


def set_marker(env, key, data):
    env["ir.config_parameter"].sudo().set_param(key, json.dumps(data, default=str))


def analyze(cr, tables):
    """Fresh planner statistics on the tables that were bulk-loaded (ANALYZE may run in a
    transaction; autovacuum would take its time), then commit."""
    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    cr.commit()


def vacuum(database, tables):
    """VACUUM ANALYZE the TABLES of DATABASE, from a connection of its own in autocommit (VACUUM
    cannot run in a transaction): what autovacuum does between two days' runs."""
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr._cnx.autocommit = True
        for table in tables:
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(cr):
    """(CPU seconds of this process, of the PostgreSQL backend serving CR) so far: unlike the
    elapsed time, what a call costs whatever else the machine runs (the backend's from /proc: the
    benchmark's cluster runs on this machine)."""
    cr.execute("SELECT pg_backend_pid()")
    with open(f"/proc/{cr.fetchone()[0]}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return time.process_time(), backend


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


# ----------------------------------------------------------------------
# Bulk cloning
# ----------------------------------------------------------------------


def clone_rows(cr, table, source, overrides, scaled=()):
    """Insert into TABLE one row per row of SOURCE (a table name or a parenthesized subquery,
    str or SQL, alias s): a copy
    of the TABLE row whose id is s.template_id (alias t), where the columns of OVERRIDES take their
    SQL expression (over s and t; constants of the scripts, never user input) and the SCALED
    columns are multiplied by s.factor. Every other column is copied as it is, so the copy keeps
    whatever the ORM computed for the template (states, accounts, currencies, flags)."""
    columns = table_columns(cr, table)
    values = [
        SQL(overrides[col])
        if col in overrides
        else SQL("t.%s * s.factor", SQL.identifier(col))
        if col in scaled
        else SQL("t.%s", SQL.identifier(col))
        for col in columns
    ]
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (%(columns)s) SELECT %(values)s FROM %(source)s s"
            " JOIN %(table)s t ON t.id = s.template_id",
            table=SQL.identifier(table),
            columns=SQL(", ").join(SQL.identifier(col) for col in columns),
            values=SQL(", ").join(values),
            source=source if isinstance(source, SQL) else SQL(source),
        )
    )
    return cr.rowcount


# Amount columns of an invoice and of its journal items, scaled from a template's.
MOVE_AMOUNTS = (
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
)
LINE_AMOUNTS = (
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "amount_residual",
    "amount_residual_currency",
    "price_unit",
    "price_subtotal",
    "price_total",
    "discount_amount_currency",
    "discount_balance",
)


def invoice_columns(name):
    """account_move columns of a cloned customer invoice, from a source row ``s`` with move_id,
    number, partner_id, partner_name and invoice_date; NAME is the SQL of its number."""
    return {
        "id": "s.move_id",
        "name": name,
        "payment_reference": name,
        "sequence_prefix": "'INV/' || to_char(s.invoice_date, 'YYYY') || '/'",
        "sequence_number": "s.number",
        "partner_id": "s.partner_id",
        "commercial_partner_id": "s.partner_id",
        "partner_shipping_id": "s.partner_id",
        "invoice_partner_display_name": "s.partner_name",
        "date": "s.invoice_date",
        "invoice_date": "s.invoice_date",
    }


def clone_moves(cr, template_id):
    """Insert one move per row of the temporary table bench_invoice (partner_id, move_id, number,
    amount, invoice_date), copied from the posted TEMPLATE invoice of 100.00 with its amounts
    scaled, its own name, partner and dates (due 30 days after the invoice date); then its journal
    items likewise."""
    name = INVOICE_NAME  # numbers over 99,999 too (lpad would cut them to 5 digits)
    source = SQL(
        "(SELECT b.*, p.name AS partner_name, b.amount / 100.0 AS factor, %s AS template_id"
        " FROM bench_invoice b JOIN res_partner p ON p.id = b.partner_id ORDER BY b.move_id)",
        template_id,
    )
    clone_rows(
        cr,
        "account_move",
        source,
        {
            **invoice_columns(name),
            "invoice_date_due": "s.invoice_date + 30",
        },
        MOVE_AMOUNTS,
    )
    source = SQL(
        "(SELECT b.*, b.amount / 100.0 AS factor, l.id AS template_id"
        " FROM bench_invoice b CROSS JOIN account_move_line l WHERE l.move_id = %s ORDER BY b.move_id)",
        template_id,
    )
    clone_rows(
        cr,
        "account_move_line",
        source,
        {
            "id": "nextval('account_move_line_id_seq')",
            "move_id": "s.move_id",
            "move_name": name,
            "name": f"CASE WHEN t.display_type = 'payment_term' THEN {name} ELSE t.name END",
            "partner_id": "s.partner_id",
            "date": "s.invoice_date",
            "invoice_date": "s.invoice_date",
            "date_maturity": "CASE WHEN t.date_maturity IS NOT NULL THEN s.invoice_date + 30 END",
        },
        LINE_AMOUNTS,
    )


def temp_table(cr, name, columns, rows):
    """CREATE TEMP TABLE NAME (dropped at commit) from ROWS, a list of tuples whose values are
    of the SQL types of COLUMNS [(name, type)], sent as one array per column."""
    arrays = list(zip(*rows, strict=True)) if rows else [[] for _col in columns]
    cr.execute(
        SQL(
            "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT * FROM unnest(%s) AS u(%s)",
            SQL.identifier(name),
            SQL(", ").join(
                SQL("%s::%s[]", list(values), SQL(sql_type))
                for values, (_col, sql_type) in zip(arrays, columns, strict=True)
            ),
            SQL(", ").join(SQL.identifier(col) for col, _type in columns),
        )
    )


def next_ids(cr, sequence, count):
    """COUNT new ids from the PostgreSQL SEQUENCE (e.g. account_move_id_seq)."""
    cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
    return [row[0] for row in cr.fetchall()]


# ----------------------------------------------------------------------
# The ledger of the dunning and reporting benchmarks: planned in Python (deterministic), inserted
# in SQL
# ----------------------------------------------------------------------

# Instalments of the two payment terms: (percent, days after the invoice date); the last takes the rest.
TERMS = {2: ((50, 30), (50, 60)), 3: ((40, 30), (30, 60), (30, 90))}
TEMPLATE_PAID = 40.0  # the template payment, reconciled with a template invoice of 100.00
HISTORY_DAYS = 540  # the history ledger's invoices are dated over the last 18 months


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
    Return [(customer index, invoice date, [(due date, amount, paid, payment date)])]: the plan
    that ``insert_ledger`` inserts."""
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
            paid_on = min(invoice_date + timedelta(days=10), run_date) if paid else None
            items = [(due, amount, 0.0, None) for due, amount in zip(dues, amounts, strict=True)]
            items[0] = (*items[0][:2], paid, paid_on)
            invoices.append((customer, invoice_date, items))
    return invoices


def plan_history(counts, run_date, rng, days=HISTORY_DAYS):
    """Like ``plan_invoices``, but a history: invoice dates spread over the DAYS (18 months) before
    RUN_DATE, instalments as there (1 single due date 30, 45 or 60 days after the invoice date).
    Each item is paid on its own date, from 15 days before its due date to 90 days after it (never
    before the invoice date): 8 in 10 in full (the invoice line and the payment line fully
    reconciled), 1 in 10 partly (40 %), 1 in 10 never; a payment that would fall after RUN_DATE is
    not made, so the items open on RUN_DATE are the recent ones and the unpaid ones, and a date
    6 months back sees other items open (paid since)."""
    invoices = []
    for customer, count in enumerate(counts):
        left = count
        while left:
            draw = rng.random()
            instalments = min(left, 3 if draw < 0.1 else 2 if draw < 0.2 else 1)
            left -= instalments
            total = round(rng.uniform(50, 5000), 2)
            invoice_date = run_date - timedelta(days=rng.randint(0, days))
            if instalments == 1:
                dues = [invoice_date + timedelta(days=rng.choice((30, 45, 60)))]
            else:
                dues = [invoice_date + timedelta(days=offset) for _percent, offset in TERMS[instalments]]
            items = []
            for due, amount in zip(dues, split_amount(total, instalments), strict=True):
                draw = rng.random()
                paid_on = max(due + timedelta(days=rng.randint(-15, 90)), invoice_date)
                if draw < 0.1 or paid_on > run_date:
                    items.append((due, amount, 0.0, None))
                else:
                    items.append((due, amount, amount if draw >= 0.2 else round(amount * 0.4, 2), paid_on))
            invoices.append((customer, invoice_date, items))
    return invoices


def create_customers(env, numbers):
    """The customers NUMBERS (a range: companies with an e-mail address) through the ORM, in
    batches of 1,000. Return their ids."""
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    customer_ids = []
    for start in range(numbers.start, numbers.stop, 1000):
        customer_ids += partners.create(
            [
                {
                    "name": f"Bench customer {n:05d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": f"customer{n:05d}@example.com",
                }
                for n in range(start, min(start + 1000, numbers.stop))
            ]
        ).ids
    return customer_ids


# Customers planned, created and inserted at a time: the build's memory stays bounded whatever
# the ledger's size (1,000,000 items: 10 chunks), and its invoices, amounts and dates are those of a
# build in one go (one random generator runs through the chunks in order; only the ids differ).
BUILD_CHUNK = 10_000


def build_ledger(env, customers, items, run_date, planner, seed, chunk=BUILD_CHUNK):
    """CUSTOMERS customers and ITEMS receivable items (1 to 19 a customer), invoices and payments
    planned by PLANNER (``plan_invoices`` or ``plan_history``) with a fixed SEED, cloned in SQL from
    ORM templates that are cancelled afterwards, CHUNK customers at a time. Return (invoices,
    items, payments)."""
    started = time.perf_counter()
    templates = make_templates(env, run_date)
    counts = items_per_customer(customers, items)
    rng = random.Random(seed)
    totals = [0, 0, 0]
    for start in range(0, customers, chunk):
        numbers = range(start, min(start + chunk, customers))
        customer_ids = create_customers(env, numbers)
        invoices = planner(counts[numbers.start : numbers.stop], run_date, rng)
        done = insert_ledger(env, customer_ids, invoices, templates)
        totals = [total + count for total, count in zip(totals, done, strict=True)]
        env.invalidate_all()
        print(
            f"  customers {numbers.stop:,}/{customers:,}: {totals[0]:,} invoices, {totals[1]:,} items,"
            f" {totals[2]:,} payments (bulk SQL, {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    retire_templates(templates)
    return tuple(totals)


def make_templates(env, run_date):
    """Through the ORM, for a template customer: a posted invoice of 100.00 (one line, no tax),
    a second one reconciled with a posted bank entry of 40.00, a third one paid in full by another
    (a full reconciliation), and the two payment terms. Return the records the clones copy."""
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
            for _n in range(3)
        ]
    )
    invoices._post(soft=False)
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], order="id", limit=1
    )
    receivable = partner.property_account_receivable_id
    payments = moves.create(
        [
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": run_date - timedelta(days=20),
                "line_ids": [
                    Command.create(
                        {
                            "name": "Bench payment",
                            "account_id": bank.default_account_id.id,
                            "debit": amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Bench payment",
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
            for amount in (TEMPLATE_PAID, 100.0)
        ]
    )
    payments._post(soft=False)
    payment, full_payment = payments
    paid_invoice_line, full_invoice_line = (
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        for invoice in invoices[1:]
    )
    payment_line, full_payment_line = (
        move.line_ids.filtered(lambda line: line.account_id == receivable) for move in payments
    )
    (paid_invoice_line | payment_line).reconcile()
    (full_invoice_line | full_payment_line).reconcile()
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
        "full_invoice": invoices[2],
        "payment": payment,
        "full_payment": full_payment,
        "full_reconcile": full_invoice_line.full_reconcile_id,
        "paid_state": invoices[2].payment_state,
        "invoice_line": invoices[0].line_ids.filtered(lambda line: line.display_type == "payment_term"),
        "product_line": invoices[0].line_ids.filtered(lambda line: line.display_type == "product"),
        "payment_line": payment_line,
        "bank_line": payment.line_ids - payment_line,
        "partial": paid_invoice_line.matched_credit_ids,
        "terms": dict(zip(sorted(TERMS), terms.ids, strict=True)),
    }


def insert_ledger(env, customer_ids, invoices, templates):
    """Clone the templates in SQL: one invoice per planned invoice (its product line, one
    receivable line per instalment), and for each paid instalment a bank entry reconciled with it
    (account_partial_reconcile, matching number P<id>; paid in full, also an
    account_full_reconcile, matching number <its id>), with residual amounts, payment states and
    reconciled flags as Odoo computes them. INVOICES: see ``plan_invoices``."""
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
    all_items = [item for _c, _d, items in invoices for item in items]
    item_ids = iter(next_ids(cr, "account_move_line_id_seq", len(all_items)))
    paid_count = sum(1 for _due, _amount, paid, _on in all_items if paid)
    full_count = sum(1 for _due, amount, paid, _on in all_items if paid == amount)
    payment_move_ids = iter(next_ids(cr, "account_move_id_seq", paid_count))
    payment_line_ids = iter(next_ids(cr, "account_move_line_id_seq", paid_count))
    partial_ids = iter(next_ids(cr, "account_partial_reconcile_id_seq", paid_count))
    full_ids = iter(next_ids(cr, "account_full_reconcile_id_seq", full_count))
    invoice_rows, item_rows, payment_rows = [], [], []
    for n, (customer, invoice_date, items) in enumerate(invoices):
        move_id, partner_id = move_ids[n], customer_ids[customer]
        total = round(sum(amount for _due, amount, _paid, _on in items), 2)
        paid_total = round(sum(paid for _due, _amount, paid, _on in items), 2)
        invoice_rows.append(
            (
                move_id,
                partner_id,
                first_invoice + n,
                invoice_date,
                max(due for due, _amount, _paid, _on in items),
                total,
                round(total - paid_total, 2),
                templates["paid_state"] if paid_total == total else "partial" if paid_total else "not_paid",
                templates["terms"].get(len(items)),
            )
        )
        for due, amount, paid, paid_on in items:
            line_id = next(item_ids)
            partial_id = next(partial_ids) if paid else None
            full_id = next(full_ids) if paid and paid == amount else None
            matching = str(full_id) if full_id else f"P{partial_id}" if partial_id else None
            item_rows.append(
                (line_id, move_id, due, amount, round(amount - paid, 2), matching, bool(full_id), full_id)
            )
            if paid:
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
                        matching,
                        full_id,
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
            ("reconciled", "bool"),
            ("full_id", "int"),
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
            ("matching_number", "varchar"),
            ("full_id", "int"),
        ],
        payment_rows,
    )
    insert_full_reconciles(cr, templates)
    insert_invoices(cr, templates)
    insert_payments(cr, templates)
    cr.execute("DROP TABLE bench_invoice, bench_item, bench_payment")  # the next chunk makes its own
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
            "reconciled": "s.reconciled",
            "full_reconcile_id": "s.full_id",
        },
        LINE_AMOUNTS,
    )


def insert_full_reconciles(cr, templates):
    """One account_full_reconcile per item paid in full, before the lines that refer to it."""
    clone_rows(
        cr,
        "account_full_reconcile",
        SQL(
            "(SELECT b.full_id, %s AS template_id FROM bench_payment b WHERE b.full_id IS NOT NULL)",
            templates["full_reconcile"].id,
        ),
        {"id": "s.full_id"},
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
        {
            **common,
            "id": "s.line_id",
            "matching_number": "s.matching_number",
            "full_reconcile_id": "s.full_id",
        },
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
            "full_reconcile_id": "s.full_id",
        },
        ("amount", "debit_amount_currency", "credit_amount_currency"),
    )


def retire_templates(templates):
    """The template entries back to draft (which undoes their reconciliation) and cancelled: they
    are no open items."""
    moves = (
        templates["payment"]
        | templates["full_payment"]
        | templates["paid_invoice"]
        | templates["full_invoice"]
        | templates["invoice"]
    )
    moves.button_draft()
    moves.button_cancel()


def check_ledger(env, sample_size):
    """Prove that the bulk ledger is what Odoo would have stored: every entry balanced (SQL), and
    for a sample of invoices (as many of each kind: 1, 2 or 3 instalments, paid, partly or not)
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


# ----------------------------------------------------------------------
# Measuring and printing
# ----------------------------------------------------------------------


def ledger_argument_parser(description, items_help, *, reps, oca_reps, warmups, budget, min_reps):
    """The options of the benchmarks timed on ``build_ledger``'s ledger against an OCA peer
    (bench_dunning.py, bench_reporting.py), with their own defaults; each adds its own."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=10_000, help="customers (default: 10000)")
    parser.add_argument("--items", type=int, default=100_000, help=f"{items_help} (default: 100000)")
    parser.add_argument("--reps", type=int, default=reps, help=f"timed repetitions of ours (default: {reps})")
    parser.add_argument(
        "--oca-reps", type=int, default=oca_reps, help=f"timed repetitions of OCA's (default: {oca_reps})"
    )
    parser.add_argument(
        "--warmups", type=int, default=warmups, help=f"untimed calls first (default: {warmups})"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=budget,
        help=f"seconds one side may take in all; a slower side gets fewer repetitions (default: {budget:g})",
    )
    parser.add_argument(
        "--min-reps", type=int, default=min_reps, help=f"repetitions at least (default: {min_reps})"
    )
    parser.add_argument("--skip-oca", action="store_true", help="time ours only (no cross-check)")
    parser.add_argument(
        "--check",
        type=int,
        default=300,
        metavar="N",
        help="recompute N invoices and their payments with the ORM, compare with the bulk data (default:"
        " 300; 0: skip)",
    )
    return parser


def build_and_check(env, args, build_data, what):
    """Build (or reuse) the benchmark's data with BUILD_DATA(env, args), saying WHAT is built, then
    recompute ``args.check`` invoices with the ORM (``check_ledger``). Return the data, or None
    when the ledger differs from what Odoo computes."""
    print(f"Building the ledger ({what})…")
    data = build_data(env, args)
    print(f"  built in {data['build_seconds']} s")
    if args.check:
        invoices, payments, problems = check_ledger(env, args.check)
        print(
            f"  ledger check, {invoices} invoices and {payments} payments recomputed by the ORM:"
            f" {'; '.join(problems[:10]) if problems else 'as stored'}"
        )
        if problems:
            return None
    return data


def post_template_invoice(env, partner, today):
    """Post, through the ORM, the one real invoice of PARTNER (100, no tax, 10 days old, due in
    20) that a benchmark clones in SQL; return it and the next sequence number of its journal."""
    template = (
        env["account.move"]
        .with_context(bypass_risk=True, tracking_disable=True)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=10),
                "invoice_date_due": today + timedelta(days=20),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Bench service", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                    )
                ],
            }
        )
    )
    template._post(soft=False)
    env.flush_all()
    env.cr.execute("SELECT sequence_number FROM account_move WHERE id = %s", [template.id])
    return template, env.cr.fetchone()[0] + 1


def summary(times):
    """Median, min, max and count of TIMES (milliseconds)."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "n": len(times)}


SLOW = 30.0  # seconds: a first call this long counts as a timed one
VERBOSE = 1.0  # seconds: calls this long are printed one by one


def repeat_timed(
    env,
    function,
    *,
    reps,
    warmups,
    budget,
    min_reps,
    label,
    rollback=True,
    clear_ormcache=False,
    after=None,
    reset=None,
):
    """The one timing loop of the benchmarks. Call FUNCTION() WARMUPS + REPS times, the record
    cache emptied before each call (and the ormcache with CLEAR_ORMCACHE), its pending writes
    flushed inside the timing. With ROLLBACK, each call runs in its own transaction rolled back
    afterwards, so that every call starts from the same committed state. AFTER(result), when
    given, runs after the timing (and before the rollback: to count what the call created);
    RESET(), when given, after the rollback (e.g. a VACUUM of what the call wrote).

    Warm-up rule: a first call longer than SLOW seconds, or slow enough for the whole to exceed
    BUDGET seconds, is timed (what a warm-up fills, caches and prepared data, is noise in calls
    this long, and repeating them costs minutes), and the repetitions are reduced to fit the
    budget (MIN_REPS at least). Return (summary of the timed calls in ms, the value of the last
    call: AFTER's result when given, FUNCTION's otherwise)."""
    if rollback:
        env.cr.rollback()
    times = []
    run = 0
    value = None
    while run < warmups + reps:
        env.invalidate_all()
        if clear_ormcache:
            env.registry.clear_all_caches()
        started = time.perf_counter()
        result = function()
        env.flush_all()
        elapsed = time.perf_counter() - started
        value = after(result) if after else result
        if rollback:
            env.cr.rollback()
        if reset:
            reset()
        if run == 0 and (elapsed > SLOW or elapsed * (warmups + reps) > budget):
            warmups = 0
            reps = max(min_reps, min(reps, int(budget / elapsed)))
            print(f"  {label}: {elapsed:.1f} s a call: no warm-up, {reps} repetition(s)")
        if run >= warmups:
            times.append(elapsed * 1000.0)
        if elapsed >= VERBOSE:
            print(f"  {label}: call {run + 1}/{warmups + reps}: {elapsed:.2f} s", flush=True)
        run += 1
    return summary(times), value
