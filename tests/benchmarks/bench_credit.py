"""Credit-check benchmark: recouvrement_credit against the OCA peers (account_financial_risk,
sale_financial_risk), in the same run, on the same data. Run by bench_credit.sh (`make bench`);
see README.md beside this file for what is measured and why.

    python3 tests/benchmarks/bench_credit.py -c ODOO_RC -d DB

The database must have recouvrement_credit, account_financial_risk and sale_financial_risk
installed, without demo data. The script builds the ledger in bulk (one invoice through the ORM,
cloned in SQL), commits it, refreshes the credit positions, then times the operations and rolls
the timing transaction back. On a database it already built (same sizes) it reuses the data.
"""

import argparse
import os
import sys
import time

from benchlib import (
    analyze,
    built_marker,
    clone_moves,
    cpu_seconds,
    open_registry,
    peak_rss_mb,
    post_template_invoice,
    repeat_timed,
    require_modules,
    set_marker,
)

import odoo
from odoo import Command, fields
from odoo.tools import SQL

MARKER = "recouvrement.bench.data"  # ir.config_parameter: the sizes of the data built in this database
OVER_LIMIT_EVERY = 7  # one regular customer in 7 (14 %) has a credit limit below its exposure
ORDER_AMOUNT = 100.0
# Targets (ours: median at most so many ms; OCA's median over ours at least so many times): the
# first issue's for the search and the order within its limit, the scale issue's for the order over
# its limit (what only a blocked order needs: online payment, exceptions, reasons in plain words)
TARGET_CHECK = (25, 3)
TARGET_BLOCKED_CHECK = (5, 8)
TARGET_SEARCH = (200, 3)
# and the refresh of every position (scale issue): at most so many seconds for so many customers;
# other sizes are given the 10,000 customers' target, scaled
TARGET_REFRESH = {10_000: 5, 100_000: 60}
TABLES = ("res_partner", "account_move", "account_move_line", "sale_order", "sale_order_line")  # bulk-loaded


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def build_data(env, args):
    """Customers, their open invoices and credit limits, and one draft order per large customer.
    Committed: the measurements run on committed, analyzed tables, like a production database."""
    sizes = {"customers": args.customers, "large_lines": args.large_lines, "max_invoices": args.max_invoices}
    built = built_marker(env, MARKER, sizes)
    if built:
        print("Reusing the benchmark data already built in this database.")
        return built
    started = time.perf_counter()
    company = env.company
    company.account_use_credit_limit = True
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    customers = partners.browse()
    for start in range(0, args.customers, 1000):
        customers |= partners.create(
            [
                {"name": f"Bench customer {n:05d}", "is_company": True, "customer_rank": 1}
                for n in range(start, min(start + 1000, args.customers))
            ]
        )
    large_ok, large_blocked = customers[:2]
    today = fields.Date.context_today(env["res.partner"])

    # One real invoice through the ORM: the template every other invoice is cloned from.
    template, first_number = post_template_invoice(env, customers[-1], today)
    cr = env.cr
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
            SELECT id AS partner_id, ordinality AS idx,
                   CASE WHEN id = ANY(%(large)s) THEN %(large_lines)s
                        ELSE 1 + mod(ordinality * 7919, %(max_invoices)s) END AS invoice_count
              FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS id
            """,
            large=[large_ok.id, large_blocked.id],
            large_lines=args.large_lines,
            max_invoices=args.max_invoices,
            ids=customers.ids,
        )
    )
    # One row per invoice to create: partner, amount, invoice date (up to 85 days ago, due 30 days
    # later: some overdue, none by more than 60 days, so that only the credit limit blocks).
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_invoice ON COMMIT DROP AS
            SELECT c.partner_id, nextval('account_move_id_seq') AS move_id,
                   %(first)s - 1 + row_number() OVER (ORDER BY c.idx, k) AS number,
                   (50 + mod(c.idx * 31 + k * 17, 4950))::numeric AS amount,
                   %(today)s::date - mod(c.idx * 13 + k * 29, 86)::int AS invoice_date
              FROM bench_customer c, generate_series(1, c.invoice_count) AS k
            """,
            first=first_number,
            today=today,
        )
    )
    clone_moves(cr, template.id)
    cr.execute("SELECT MAX(number) FROM bench_invoice")
    last_number = cr.fetchone()[0]
    print(f"  invoices {first_number}..{last_number} cloned from {template.name}")

    # Customers: OCA counts every open receivable (draft, open, unpaid, other accounts, orders),
    # like our exposure; limits make one regular customer in 7 and the 'blocked' large one exceed.
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET risk_invoice_draft_include = TRUE, risk_invoice_open_include = TRUE,
                   risk_invoice_unpaid_include = TRUE, risk_account_amount_include = TRUE,
                   risk_account_amount_unpaid_include = TRUE, risk_sale_order_include = TRUE,
                   credit_limit = jsonb_build_object(%(company)s::text, ROUND(CASE
                       WHEN p.id = %(blocked)s OR (p.id <> %(ok)s AND mod(c.idx, %(every)s) = 3)
                           THEN e.exposure * 0.8
                       ELSE e.exposure * 1.5 + 1000 END, 2)),
                   date_credit_limit = %(today)s
              FROM bench_customer c
              JOIN (SELECT aml.partner_id, SUM(aml.amount_residual) AS exposure
                      FROM account_move_line aml
                      JOIN account_account a ON a.id = aml.account_id
                     WHERE a.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
                       AND NOT aml.reconciled
                  GROUP BY aml.partner_id) e ON e.partner_id = c.partner_id
             WHERE p.id = c.partner_id
            """,
            company=company.id,
            blocked=large_blocked.id,
            ok=large_ok.id,
            every=OVER_LIMIT_EVERY,
            today=today,
        )
    )
    env.invalidate_all()
    env.registry.clear_all_caches()

    # A draft order for each large customer: the order whose confirmation is checked.
    product = env["product.product"].create(
        {"name": "Bench service", "type": "service", "invoice_policy": "order", "list_price": ORDER_AMOUNT}
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": ORDER_AMOUNT, "tax_id": []})
                ],
            }
            for partner in (large_ok, large_blocked)
        ]
    )
    env.flush_all()
    data = {
        "sizes": sizes,
        "large_ok": large_ok.id,
        "large_blocked": large_blocked.id,
        "orders": orders.ids,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    set_marker(env, MARKER, data)
    cr.commit()
    analyze(cr, TABLES)
    return data


def refresh_positions(env, batch_size):
    """Our initial refresh of every customer's position, in batches committed one by one like the
    scheduled action. Return (seconds, batches)."""
    cr = env.cr
    cr.execute("DELETE FROM recouvrement_credit_position")
    cr.commit()
    env.invalidate_all()
    partner_ids = (
        env["res.partner"].search([("customer_rank", ">", 0), ("parent_id", "=", False)], order="id").ids
    )
    positions = env["recouvrement.credit.position"]
    python, postgres = cpu_seconds(cr)
    started = time.perf_counter()
    for start in range(0, len(partner_ids), batch_size):
        positions._refresh(env["res.partner"].browse(partner_ids[start : start + batch_size]))
        cr.commit()
        env.invalidate_all()
    seconds = time.perf_counter() - started
    after_python, after_postgres = cpu_seconds(cr)
    cpu = (after_python - python, after_postgres - postgres)
    analyze(cr, TABLES)
    return seconds, -(-len(partner_ids) // batch_size), peak_rss_mb(), cpu


def data_sizes(env, data):
    cr = env.cr
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE m.move_type = 'out_invoice' AND m.state = 'posted'),
               (SELECT COUNT(*) FROM account_move_line),
               (SELECT COUNT(*) FROM account_move_line aml JOIN account_account a ON a.id = aml.account_id
                 WHERE a.account_type = 'asset_receivable' AND NOT aml.reconciled
                   AND aml.parent_state = 'posted')
          FROM account_move m
        """
    )
    invoices, lines, open_lines = cr.fetchone()
    cr.execute(
        """
        SELECT aml.partner_id, COUNT(*)
          FROM account_move_line aml JOIN account_account a ON a.id = aml.account_id
         WHERE a.account_type = 'asset_receivable' AND NOT aml.reconciled AND aml.parent_state = 'posted'
           AND aml.partner_id = ANY(%s)
      GROUP BY aml.partner_id
        """,
        [[data["large_ok"], data["large_blocked"]]],
    )
    large = dict(cr.fetchall())
    customers = env["res.partner"].search_count([("customer_rank", ">", 0), ("parent_id", "=", False)])
    return {
        "customers": customers,
        "invoices": invoices,
        "journal items": lines,
        "open receivable lines": open_lines,
        "open receivable lines, large customer (passes)": large.get(data["large_ok"], 0),
        "open receivable lines, large customer (blocked)": large.get(data["large_blocked"], 0),
    }


# ----------------------------------------------------------------------
# The operations compared
# ----------------------------------------------------------------------


def ours_order_check(order):
    """What our action_confirm runs before confirming: decision (refreshed position) + exceptions."""
    return order._get_credit_blocked()


def oca_order_check(order):
    """What sale_financial_risk's action_confirm runs before confirming, without the wizard it opens
    on a refusal nor the confirmation itself: evaluate_risk_message on the invoiced commercial
    partner, for the orders of companies that do not allow confirming over the risk."""
    messages = []
    for one in order.filtered(lambda so: not so.company_id.allow_overrisk_sale_confirmation):
        partner = one.partner_invoice_id.commercial_partner_id
        messages.append(one.evaluate_risk_message(partner))
    return [message for message in messages if message]


def ours_blocked_search(env):
    return env["res.partner"].search([("credit_status", "=", "blocked")])


def oca_blocked_search(env):
    return env["res.partner"].search([("risk_exception", "=", True)])


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------


def measure(env, function, args, label):
    """Time FUNCTION with the options of the command line (benchlib.repeat_timed), without
    rolling back between calls: the operations compared only read (and ours stores a position);
    the whole measurement is rolled back at the end."""
    return repeat_timed(
        env,
        function,
        reps=args.reps,
        warmups=args.warmups,
        budget=args.budget,
        min_reps=args.min_reps,
        label=label,
        rollback=False,
        clear_ormcache=args.clear_ormcache,
    )


def verdict(ours, oca, max_ms, min_ratio):
    ratio = oca["median"] / ours["median"]
    checks = [
        f"median ≤ {max_ms:g} ms: {'PASS' if ours['median'] <= max_ms else 'FAIL'}",
        f"≥ {min_ratio:g}× faster: {'PASS' if ratio >= min_ratio else 'FAIL'}",
    ]
    return ratio, checks


def print_table(rows):
    header = (
        f"{'operation':<52} {'n':>3} {'ours med':>9} {'min':>8} {'max':>8}"
        f" {'n':>3} {'OCA med':>10} {'min':>10} {'max':>10} {'OCA/ours':>9}  targets"
    )
    print(header)
    print("-" * len(header))
    for label, ours, oca, ratio, checks in rows:
        print(
            f"{label:<52} {ours['n']:>3} {ours['median']:>9.1f} {ours['min']:>8.1f} {ours['max']:>8.1f}"
            f" {oca['n']:>3} {oca['median']:>10.1f} {oca['min']:>10.1f} {oca['max']:>10.1f}"
            f" {ratio:>8.1f}×  {'; '.join(checks)}"
        )
    print("(milliseconds; n = timed repetitions)")


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
    parser.add_argument(
        "--large-lines", type=int, default=5_000, help="open invoices of each large customer (default: 5000)"
    )
    parser.add_argument(
        "--max-invoices",
        type=int,
        default=9,
        help="open invoices of the other customers: 1 to N (default: 9)",
    )
    parser.add_argument("--reps", type=int, default=20, help="timed repetitions (default: 20)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed calls first (default: 3)")
    parser.add_argument(
        "--budget",
        type=float,
        default=150.0,
        help="seconds one operation may take in all; slower ones get fewer repetitions (default: 150)",
    )
    parser.add_argument("--min-reps", type=int, default=5, help="repetitions at least (default: 5)")
    parser.add_argument("--refresh-batch", type=int, default=1000, help="customers per refresh batch")
    parser.add_argument(
        "--skip-refresh",
        action="store_true",
        help="keep the positions of a previous run on this database (no initial refresh figure)",
    )
    parser.add_argument(
        "--refresh-only",
        action="store_true",
        help="build the data and time the refresh of every position, nothing else (no OCA timing, no"
        " cross-check): for large --customers, e.g. 100000",
    )
    parser.add_argument(
        "--clear-ormcache",
        action="store_true",
        help="also empty the ormcache (access rights, rules, parameters) before each call",
    )
    return parser.parse_args(argv)


def cross_check(env, blocked_ours, blocked_oca, order_ids):
    """Both sides must see the same data the same way, or the comparison means nothing."""
    problems = []
    if set(blocked_ours.ids) != set(blocked_oca.ids):
        problems.append(
            f"blocked customers differ: ours {len(blocked_ours)}, OCA {len(blocked_oca)},"
            f" {len(set(blocked_ours.ids) ^ set(blocked_oca.ids))} not in both"
        )
    for order_id in order_ids:
        env.invalidate_all()
        order = env["sale.order"].browse(order_id)
        partner = order.partner_id.commercial_partner_id
        position = env["recouvrement.credit.position"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", order.company_id.id)]
        )
        if order.company_id.currency_id.compare_amounts(position.exposure, partner.risk_total):
            problems.append(f"{partner.name}: exposure {position.exposure} but OCA risk {partner.risk_total}")
        if bool(ours_order_check(order)) != bool(oca_order_check(order)):
            problems.append(f"{order.name}: the two checks disagree")
    return problems


def run(env, args):
    """Build, refresh, measure; return the report's figures. The caller rolls back what follows
    the refresh (the checks wrote positions only)."""
    print("Building the data (bulk: one ORM invoice cloned in SQL)…")
    data = build_data(env, args)
    print(f"  built in {data['build_seconds']} s")
    refresh = None
    if not args.skip_refresh:
        print(f"Refreshing every customer's position (ours), in batches of {args.refresh_batch}…")
        refresh = refresh_positions(env, args.refresh_batch)
    sizes = data_sizes(env, data)
    if args.refresh_only:
        return data, refresh, sizes, [], []
    lines = f"{args.large_lines:,}-line"
    rows = []
    print("Measuring…")
    for label, order_id, (max_ms, min_ratio) in (
        (f"order check, {lines} customer within its limit", data["orders"][0], TARGET_CHECK),
        (f"order check, {lines} customer over its limit", data["orders"][1], TARGET_BLOCKED_CHECK),
    ):
        # One order browsed alone, as confirming it from its form does: a recordset of both orders
        # would make each side prefetch, and OCA compute, the other customer too.
        order = env["sale.order"].browse(order_id)
        ours, _ = measure(env, lambda o=order: ours_order_check(o), args, f"ours, {label}")
        oca, _ = measure(env, lambda o=order: oca_order_check(o), args, f"OCA, {label}")
        rows.append((label, ours, oca, *verdict(ours, oca, max_ms, min_ratio)))
    label = f"search blocked customers among {sizes['customers']:,}"
    ours, blocked_ours = measure(env, lambda: ours_blocked_search(env), args, f"ours, {label}")
    oca, blocked_oca = measure(env, lambda: oca_blocked_search(env), args, f"OCA, {label}")
    rows.append((label, ours, oca, *verdict(ours, oca, *TARGET_SEARCH)))
    sizes["customers over their limit: ours / OCA"] = f"{len(blocked_ours):,} / {len(blocked_oca):,}"
    problems = cross_check(env, blocked_ours, blocked_oca, data["orders"])
    return data, refresh, sizes, rows, problems


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_credit", "account_financial_risk", "sale_financial_risk"))
        data, refresh, sizes, rows, problems = run(env, args)
        cr.rollback()  # leave the database as built and refreshed

    print()
    print("Data")
    for name, value in sizes.items():
        print(f"  {name:<50} {value:>13,}" if isinstance(value, int) else f"  {name:<50} {value:>13}")
    print(f"  {'data build (bulk), seconds':<50} {data['build_seconds']:>13}")
    if refresh:
        seconds, batches, rss, (python, postgres) = refresh
        customers = sizes["customers"]
        max_seconds = TARGET_REFRESH.get(customers, TARGET_REFRESH[10_000] * customers / 10_000)
        print(
            f"  {'our initial refresh of every position, seconds':<50} {seconds:>13.1f}"
            f"  ({batches} batches of {args.refresh_batch}, each committed;"
            f" target ≤ {max_seconds:g} s for {customers:,}: {'PASS' if seconds <= max_seconds else 'FAIL'};"
            f" peak RSS {rss:,.0f} MB; load average {', '.join(f'{load:.2f}' for load in os.getloadavg())})"
        )
        print(
            f"  {'  CPU: Python + PostgreSQL, seconds':<50} {python + postgres:>13.1f}"
            f"  ({python:.1f} + {postgres:.1f}: about the elapsed time on an idle machine)"
        )
    print()
    if args.refresh_only:
        return 0
    print_table(rows)
    cache = "record cache emptied" + (
        ", ormcache cleared" if args.clear_ormcache else " (ormcache kept warm, as in a running server)"
    )
    print(f"Before each call: {cache}; pending writes flushed inside the timing.")
    print()
    if problems:
        print("CROSS-CHECK FAILED: " + "; ".join(problems))
        return 1
    print("Cross-check: both sides block the same customers and see the same exposures and decisions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
