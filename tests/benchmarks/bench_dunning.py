"""Dunning-run benchmark: our daily run (recouvrement.dunning.run) against OCA
account_credit_control's credit.control.run.generate_credit_lines(), in the same run, on the same
ledger. Run by bench_dunning.sh (`make bench-dunning`); see README.md beside this file.

    python3 tests/benchmarks/bench_dunning.py -c ODOO_RC -d DB

The database must have recouvrement_credit and account_credit_control installed, without demo
data. The script builds the ledger in bulk (``benchlib.build_ledger``: entries through the ORM,
cloned in SQL) and commits it, with the OCA policy; then it times each side, every call in a
transaction rolled back. On a database it already built (same sizes) it reuses the ledger and its run date.
"""

import os
import statistics
import sys
import time
from datetime import date

from benchlib import (
    analyze,
    build_and_check,
    build_ledger,
    built_marker,
    cpu_seconds,
    ledger_argument_parser,
    open_registry,
    peak_rss_mb,
    plan_invoices,
    repeat_timed,
    require_modules,
    set_marker,
    vacuum,
)

import odoo
from odoo import Command, fields

MARKER = "recouvrement.bench.dunning"  # ir.config_parameter: sizes, run date, ids of the built ledger
TABLES = (
    "res_partner",
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_full_reconcile",
)
# What a run writes: vacuumed before the timings and after each rolled-back call, so that every call
# starts from the state the first one had (dead rows left by the previous call's rollback would slow
# the next one down; between two days' runs, autovacuum clears them).
RUN_TABLES = {
    "ours": (
        "account_move_line",
        "recouvrement_dunning_run",
        "recouvrement_dunning_communication",
        "recouvrement_dunning_communication_line",
        "recouvrement_dunning_dispatch",
    ),
    "oca": ("account_move_line", "credit_control_run", "credit_control_line"),
}
# Targets of the scale issue: our run at most so many seconds for so many open items (2 cores).
TARGET_SECONDS = {100_000: 10, 1_000_000: 180}
SEED = 20261122
OCA_LEVELS = ((1, 1, "first reminder"), (2, 15, "second reminder"), (3, 30, "last reminder"))


# ----------------------------------------------------------------------
# The ledger (benchlib.build_ledger) and OCA's policy
# ----------------------------------------------------------------------


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
    build_ledger(env, args.customers, args.items, run_date, plan_invoices, SEED)
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


def ours_run(env, company, run_date, cpu):
    """Our daily run: levels, exclusions, grouping, communications created (their PDF and mail
    are queued, not done here). Return the run's id; append to CPU the (Python, PostgreSQL) CPU
    seconds it took."""
    python, postgres = cpu_seconds(env.cr)
    run = env["recouvrement.dunning.run"].create({"company_id": company.id, "date": run_date})
    run._generate()
    env.flush_all()
    after_python, after_postgres = cpu_seconds(env.cr)
    cpu.append((after_python - python, after_postgres - postgres))
    return run.id


def ours_counts(env, run_id):
    """Communications and lines of our run, counted in SQL (read before the rollback, outside the
    timing; ``run.communication_ids`` would load every reminder)."""
    env.cr.execute(
        """
        SELECT COUNT(DISTINCT comm.id), COUNT(line.id)
          FROM recouvrement_dunning_communication comm
          LEFT JOIN recouvrement_dunning_communication_line line ON line.communication_id = comm.id
         WHERE comm.run_id = %s
        """,
        [run_id],
    )
    communications, lines = env.cr.fetchone()
    return {"communications": communications, "lines": lines}


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
    parser = ledger_argument_parser(
        __doc__, "open receivable items", reps=5, oca_reps=3, warmups=1, budget=900.0, min_reps=1
    )
    return parser.parse_args(argv)


def measure_both(env, args, data):
    company = env["res.company"].browse(data["company"])
    run_date = date.fromisoformat(data["run_date"])
    database = env.cr.dbname
    results = {}
    if ours_installed(env):
        print(f"Ours: {ours_setup(env, company)}")
        env.cr.rollback()
        vacuum(database, RUN_TABLES["ours"])
        rss_before = peak_rss_mb()
        cpu = []
        stats, counts = repeat_timed(
            env,
            lambda: ours_run(env, company, run_date, cpu),
            reps=args.reps,
            warmups=args.warmups,
            budget=args.budget,
            min_reps=args.min_reps,
            label="ours",
            after=lambda run_id: ours_counts(env, run_id),
            reset=lambda: vacuum(database, RUN_TABLES["ours"]),
        )
        counts["peak RSS"] = (rss_before, peak_rss_mb())
        timed = cpu[len(cpu) - stats["n"] :]  # the timed calls: after the warm-ups
        counts["CPU"] = tuple(statistics.median(side) for side in zip(*timed, strict=True))
        results["ours"] = (stats, counts)
    else:
        print("ours: not installed (no model recouvrement.dunning.run in this database)")
    if not args.skip_oca:
        policy = env["credit.control.policy"].browse(data["oca_policy"])
        env.cr.rollback()
        vacuum(database, RUN_TABLES["oca"])
        stats, counts = repeat_timed(
            env,
            lambda: oca_run(env, company, run_date, policy),
            reps=args.oca_reps,
            warmups=args.warmups,
            budget=args.budget,
            min_reps=args.min_reps,
            label="OCA",
            after=lambda run_id: oca_counts(env, run_id),
            reset=lambda: vacuum(database, RUN_TABLES["oca"]),
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
            print(f"{labels[side]:<58} {'not installed' if side == 'ours' else 'skipped (--skip-oca)'}")
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
    print("(seconds; n = timed repetitions, each in a transaction rolled back, then what it wrote vacuumed)")
    if "ours" in results:
        ours = results["ours"][0]["median"] / 1000
        before, after = results["ours"][1]["peak RSS"]
        python, postgres = results["ours"][1]["CPU"]
        print(
            f"CPU time of our run (median): {python:.2f} s in Python, {postgres:.2f} s in PostgreSQL,"
            f" {python + postgres:.2f} s in all (Python waits while PostgreSQL works: about the elapsed"
            " time on an idle machine)."
        )
        print(
            f"Peak memory (RSS) of this process: {before:,.0f} MB before our runs (Odoo, the ledger's"
            f" build and check when done in this run), {after:,.0f} MB after them."
        )
        items = sizes["open receivable items"]
        if items in TARGET_SECONDS:
            target = TARGET_SECONDS[items]
            print(f"target for {items:,} items: ours ≤ {target} s: {'PASS' if ours <= target else 'FAIL'}")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
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
        data = build_and_check(env, args, build_data, "bulk: ORM entries cloned in SQL")
        if data is None:
            return 1
        sizes = data_sizes(env, data)
        print("Measuring…")
        results = measure_both(env, args, data)
        cr.rollback()
    print_results(sizes, data, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
