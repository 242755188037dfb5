"""Helpers shared by the benchmarks (bench_credit.py, bench_dunning.py): opening the database,
cloning posted journal entries in bulk SQL, timing repeated calls and printing the figures.
Imported by the scripts beside it (their folder is first on sys.path when they run)."""

import json
import statistics
import sys
import time

import odoo
from odoo.tools import SQL

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
    name = "'INV/' || to_char(s.invoice_date, 'YYYY') || '/' || lpad(s.number::text, 5, '0')"
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
# Measuring and printing
# ----------------------------------------------------------------------


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
):
    """The one timing loop of the benchmarks. Call FUNCTION() WARMUPS + REPS times, the record
    cache emptied before each call (and the ormcache with CLEAR_ORMCACHE), its pending writes
    flushed inside the timing. With ROLLBACK, each call runs in its own transaction rolled back
    afterwards, so that every call starts from the same committed state. AFTER(result), when
    given, runs after the timing (and before the rollback: to count what the call created).

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
