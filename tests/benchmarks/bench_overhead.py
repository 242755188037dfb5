"""Everyday-accounting overhead benchmark: posting customer invoices and registering their payments
in batches on stock Odoo (account, sale), with recouvrement_credit, and with OCA
account_financial_risk, on the same data, in the same run. Run by bench_overhead.sh
(`make bench-overhead`); see README.md beside this file.

    python3 tests/benchmarks/bench_overhead.py -c ODOO_RC --stock DB --ours DB --oca DB

Each of the three databases must have its modules installed, without demo data. The script copies
each one into a data database (NAME_cCUSTOMERS_iINVOICES, built once and kept) where it creates,
through the ORM and identically, the customers and the draft invoices. Each repetition then works
on a fresh copy of a data database (CREATE DATABASE … TEMPLATE, dropped afterwards): it posts the
invoices in batches (`action_post`), then registers one payment per invoice in batches (the
`account.payment.register` wizard on each batch of posted invoices), **each batch in its own
transaction, committed**, as a user's click would be: what the addons do when a transaction
commits (our credit positions are refreshed in a pre-commit hook) is inside the timing.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from contextlib import closing
from datetime import timedelta

from benchlib import analyze, built_marker, require_modules, set_marker

import odoo
from odoo import Command, fields
from odoo.tools import SQL

MARKER = "recouvrement.bench.overhead"  # ir.config_parameter: the sizes of the data built here
FLAVORS = {
    "stock": ((), "stock (account, sale)"),
    "ours": (("recouvrement_credit",), "+ recouvrement_credit"),
    "oca": (("account_financial_risk",), "+ OCA account_financial_risk"),
}
TABLES = ("res_partner", "account_move", "account_move_line")
WARMUP_INVOICES = 10  # posted and paid, committed, before the timings of each copy
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # unit of the CPU times in /proc/PID/stat


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------


def database_exists(name):
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def copy_database(source, target):
    """TARGET, a copy of SOURCE (CREATE DATABASE … TEMPLATE: no connection to SOURCE may stay open)."""
    odoo.modules.registry.Registry.delete(source)
    odoo.sql_db.close_db(source)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("CREATE DATABASE %s TEMPLATE %s", SQL.identifier(target), SQL.identifier(source)))


def drop_database(name):
    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def build_data(env, args):
    """The customers (credit limit far above what they will owe: every check runs, none blocks) and
    the draft invoices (two lines, the company's sale tax), from a fixed seed: the same in the three
    databases. Committed and analyzed."""
    sizes = {"customers": args.customers, "invoices": args.invoices + WARMUP_INVOICES}
    if built_marker(env, MARKER, sizes):
        return
    rng = random.Random(13)
    company = env.company
    company.account_use_credit_limit = True
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    customers = partners.create(
        [
            {
                "name": f"Bench customer {n:04d}",
                "is_company": True,
                "customer_rank": 1,
                "email": f"customer{n:04d}@example.com",
                "credit_limit": 10_000_000.0,
            }
            for n in range(args.customers)
        ]
    )
    tax = company.account_sale_tax_id
    today = fields.Date.context_today(customers)
    moves = env["account.move"].with_context(tracking_disable=True)
    total = args.invoices + WARMUP_INVOICES
    for start in range(0, total, 100):
        moves.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customers[n % len(customers)].id,
                    "invoice_date": today - timedelta(days=rng.randint(0, 60)),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Service {n}-{line}",
                                "quantity": rng.randint(1, 10),
                                "price_unit": rng.randint(100, 50_000) / 100.0,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for line in range(2)
                    ],
                }
                for n in range(start, min(start + 100, total))
            ]
        )
        env.cr.commit()
    set_marker(env, MARKER, {"sizes": sizes})
    env.cr.commit()
    analyze(env.cr, TABLES)


def data_database(database, args):
    return f"{database}_c{args.customers}_i{args.invoices}"


def ensure_data(flavor, database, args):
    """The data database of FLAVOR (a copy of DATABASE with the data), built unless it exists."""
    target = data_database(database, args)
    if database_exists(target):
        return target
    print(
        f"  {flavor}: building {target} ({args.customers:,} customers, {args.invoices:,} draft invoices)…",
        flush=True,
    )
    started = time.perf_counter()
    with odoo.modules.registry.Registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("account", "sale") + FLAVORS[flavor][0])
        others = {module for modules, _label in FLAVORS.values() for module in modules}
        others -= set(FLAVORS[flavor][0])
        if env["ir.module.module"].search_count([("name", "in", list(others)), ("state", "=", "installed")]):
            sys.exit(f"ERROR: {database} must not have {', '.join(sorted(others))} installed")
    copy_database(database, target)
    try:
        registry = odoo.modules.registry.Registry(target)
        with registry.cursor() as cr:
            build_data(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args)
    except Exception:
        drop_database(target)
        raise
    odoo.modules.registry.Registry.delete(target)
    odoo.sql_db.close_db(target)
    print(f"  {flavor}: built in {time.perf_counter() - started:.0f} s", flush=True)
    return target


# ----------------------------------------------------------------------
# Measure
# ----------------------------------------------------------------------


def backend_cpu_seconds(cr):
    """A function returning the CPU seconds used so far by CR's PostgreSQL backend, read from
    /proc (the benchmark's cluster runs on this machine); it returns 0 where /proc cannot be read."""
    cr.execute("SELECT pg_backend_pid()")
    path = f"/proc/{cr.fetchone()[0]}/stat"

    def read():
        try:
            with open(path) as stat:
                after_name = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(after_name[11]) + int(after_name[12])) / CLOCK_TICKS  # utime + stime

    return read


def timed_batches(env, batches, step):
    """Run STEP(records) on each batch of ids in its own transaction, committed; return the
    seconds, the CPU seconds (this process + its PostgreSQL backend) and the queries of each batch
    (record cache emptied before each, as for a new request).

    CPU time is what the addons cost; the elapsed time also counts the waits for a core that a
    shared machine imposes, which is why the verdicts read the CPU time (still moved by the other
    work through caches and clock speed: compare runs made in the same minutes)."""
    seconds, cpu, queries = [], [], []
    backend_cpu = backend_cpu_seconds(env.cr)
    for ids in batches:
        env.invalidate_all()
        count = env.cr.sql_log_count
        started, cpu_started = time.perf_counter(), time.process_time() + backend_cpu()
        step(env["account.move"].browse(ids))
        env.flush_all()
        env.cr.commit()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() + backend_cpu() - cpu_started)
        queries.append(env.cr.sql_log_count - count)
    return seconds, cpu, queries


def post(invoices):
    result = invoices.action_post()
    if isinstance(result, dict):  # a credit wizard: the data are built so that nothing blocks
        sys.exit(f"ERROR: posting was stopped by {result.get('res_model')}")


def register_payments(invoices):
    """One payment per invoice of the batch, as the Register Payment button on the selected invoices."""
    wizard = (
        invoices.env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoices.ids)
        .create({"group_payment": False})
    )
    wizard._create_payments()


def measure_copy(env, args, profile=None):
    """Post then pay every invoice, in batches; return the timings and the checks."""
    drafts = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "draft")], order="id"
    )
    warmup, timed = drafts[:WARMUP_INVOICES], drafts[WARMUP_INVOICES:]
    post(warmup)
    env.cr.commit()
    register_payments(warmup)
    env.cr.commit()
    batches = [timed.ids[start : start + args.batch] for start in range(0, len(timed), args.batch)]
    if profile:
        profile.enable()
    post_s, post_cpu, post_q = timed_batches(env, batches, post)
    pay_s, pay_cpu, pay_q = timed_batches(env, batches, register_payments)
    if profile:
        profile.disable()
    env.invalidate_all()
    paid = timed.filtered(lambda m: m.state == "posted" and m.payment_state in ("paid", "in_payment"))
    return {
        "post": sum(post_s),
        "pay": sum(pay_s),
        "post_cpu": sum(post_cpu),
        "pay_cpu": sum(pay_cpu),
        "post_queries": sum(post_q),
        "pay_queries": sum(pay_q),
        "invoices": len(timed),
        "paid": len(paid),
        "reconciled": len(paid.filtered(lambda m: m.payment_state == "paid")),
    }


def run_copy(flavor, source, args, rep, profile=None):
    target = f"{source}_run"
    drop_database(target)
    copy_database(source, target)
    try:
        registry = odoo.modules.registry.Registry(target)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            result = measure_copy(env, args, profile)
    finally:
        drop_database(target)
    print(
        f"  {flavor:<5} run {rep + 1}: post {result['post']:.2f} s ({result['post_cpu']:.2f} s CPU),"
        f" pay {result['pay']:.2f} s ({result['pay_cpu']:.2f} s CPU)"
        f" ({result['paid']:,}/{result['invoices']:,} paid, {result['reconciled']:,} reconciled)",
        flush=True,
    )
    return result


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def report(results, args):
    keys = ("post", "pay", "post_cpu", "pay_cpu", "post_queries", "pay_queries")
    medians = {
        flavor: {key: statistics.median(run[key] for run in runs) for key in keys}
        | {
            "total": statistics.median(run["post"] + run["pay"] for run in runs),
            "total_cpu": statistics.median(run["post_cpu"] + run["pay_cpu"] for run in runs),
        }
        for flavor, runs in results.items()
    }
    n = args.invoices
    batches = f"{-(-n // args.batch)} batches of {args.batch}"
    rows = (
        ("post", f"post {n:,} invoices ({batches})"),
        ("pay", f"register {n:,} payments ({batches})"),
        ("total", "both"),
    )
    met = print_table("elapsed seconds", medians, rows, "", args)
    met_cpu = print_table("CPU seconds, Odoo process + its PostgreSQL backend", medians, rows, "_cpu", args)
    print(f"(median of {args.reps} run(s) of each; each batch its own transaction, committed;")
    print(" the verdicts read the CPU time, less inflated than elapsed time by the machine's other work)")
    print()
    print("SQL queries per invoice (median run)")
    for key, label in (("post_queries", "post"), ("pay_queries", "register payment")):
        figures = "  ".join(f"{flavor} {medians[flavor][key] / n:>6.1f}" for flavor in FLAVORS)
        print(f"  {label:<20} {figures}")
    return met_cpu if any(medians[flavor]["total_cpu"] for flavor in FLAVORS) else met


def print_table(title, medians, rows, suffix, args):
    """One table of medians (KEY + SUFFIX) with our and OCA's overhead over stock; True when ours
    is within the target and lower than OCA's on every row."""
    header = f"{title:<46} {'stock':>8} {'ours':>8} {'OCA':>8}  {'ours vs stock':>13} {'OCA vs stock':>12}"
    header += "  targets"
    print()
    print(header)
    print("-" * len(header))
    verdicts = []
    for key, label in rows:
        stock, ours, oca = (medians[flavor][key + suffix] for flavor in FLAVORS)
        ours_over, oca_over = (ours / stock - 1) * 100, (oca / stock - 1) * 100
        verdict = (
            f"≤ {args.target:g} %: {'PASS' if ours_over <= args.target else 'FAIL'};"
            f" lower than OCA's: {'PASS' if ours_over < oca_over else 'FAIL'}"
        )
        verdicts.append(ours_over <= args.target and ours_over < oca_over)
        print(
            f"{label:<46} {stock:>8.2f} {ours:>8.2f} {oca:>8.2f}"
            f"  {ours_over:>+12.1f}% {oca_over:>+11.1f}%  {verdict}"
        )
    return all(verdicts)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    for flavor, (_modules, label) in FLAVORS.items():
        parser.add_argument(f"--{flavor}", required=True, help=f"database: {label}")
    parser.add_argument("--customers", type=int, default=200, help="customers (200)")
    parser.add_argument("--invoices", type=int, default=1_000, help="invoices posted then paid (1000)")
    parser.add_argument("--batch", type=int, default=100, help="invoices per batch (100)")
    parser.add_argument(
        "--reps",
        type=int,
        default=3,
        help="runs of each database, interleaved (3; 0 with --profile: the profile only)",
    )
    parser.add_argument("--target", type=float, default=10.0, help="our overhead at most, %% (10)")
    parser.add_argument(
        "--profile", choices=tuple(FLAVORS), help="one more run of this database under cProfile, printed"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])  # registries: one per copy
    print("Data (built once per size, kept)")
    sources = {flavor: ensure_data(flavor, getattr(args, flavor), args) for flavor in FLAVORS}
    print("Measuring (each run on a fresh copy of its data database)…")
    results = {flavor: [] for flavor in FLAVORS}
    order = list(FLAVORS)
    for rep in range(args.reps):
        for flavor in order[rep % 3 :] + order[: rep % 3]:  # rotated: the machine's load spreads evenly
            results[flavor].append(run_copy(flavor, sources[flavor], args, rep))
    problems = [
        f"{flavor}: {run['paid']}/{run['invoices']} paid"
        for flavor, runs in results.items()
        for run in runs
        if run["paid"] != run["invoices"]
    ]
    met = report(results, args) if args.reps else True
    if args.profile:
        profile = cProfile.Profile()
        run_copy(args.profile, sources[args.profile], args, args.reps, profile)
        stream = io.StringIO()
        stats = pstats.Stats(profile, stream=stream).sort_stats("cumulative")
        stats.print_stats(30)
        stats.print_stats("recouvrement|financial_risk", 30)  # the addons' own functions
        print(stream.getvalue())
    if problems:
        print("CROSS-CHECK FAILED: " + "; ".join(problems))
        return 1
    print("targets: " + ("met" if met else "missed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
