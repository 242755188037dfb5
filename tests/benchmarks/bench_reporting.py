"""Reporting benchmark: our aged balance by customer (recouvrement.aged.balance) today and 6 months
back, 12 months of collections KPIs (recouvrement.collections.kpi), and the aged balance against
OCA account_financial_report's aged partner balance, in the same run, on the same ledger, with
the totals cross-checked. Run by bench_reporting.sh (`make bench-reporting`); see README.md
beside this file.

    python3 tests/benchmarks/bench_reporting.py -c ODOO_RC -d DB

The database must have recouvrement_credit and account_financial_report installed, without demo
data. The script builds the ledger in bulk (``benchlib.build_ledger`` with ``plan_history``:
100,000 items for 10,000 customers, invoiced and paid over 18 months) and commits it; then it
times each report, every call in a transaction rolled back. On a database it already built (same
sizes) it reuses the ledger and its run date.
"""

import sys
import time
from collections import defaultdict
from datetime import date

from benchlib import (
    analyze,
    build_and_check,
    build_ledger,
    built_marker,
    ledger_argument_parser,
    open_registry,
    plan_history,
    repeat_timed,
    require_modules,
    set_marker,
)
from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command, fields

MARKER = "recouvrement.bench.reporting"  # ir.config_parameter: sizes, run date of the built ledger
TABLES = (
    "res_partner",
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_full_reconcile",
)
SEED = 20261202
# OCA's fixed columns, in the order of our default buckets (not due, 1–30, 31–60, 61–90, 91–120, > 120).
OCA_BUCKETS = ("current", "30_days", "60_days", "90_days", "120_days", "older")
TOLERANCE = 0.005  # currency units: amounts equal when rounded to the cent


# ----------------------------------------------------------------------
# The ledger (benchlib.build_ledger with plan_history)
# ----------------------------------------------------------------------


def build_data(env, args):
    """Customers, their invoices and payments over 18 months; committed, analyzed."""
    sizes = {"customers": args.customers, "items": args.items, "history": "18 months"}
    data = built_marker(env, MARKER, sizes)
    if data:
        print(f"Reusing the ledger already built in this database (run date {data['run_date']}).")
        return data
    if args.items < args.customers:
        sys.exit("ERROR: --items must be at least --customers (every customer has an item)")
    started = time.perf_counter()
    run_date = fields.Date.context_today(env["res.partner"])
    build_ledger(env, args.customers, args.items, run_date, plan_history, SEED)
    env.flush_all()
    data = {
        "sizes": sizes,
        "run_date": fields.Date.to_string(run_date),
        "company": env.company.id,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    set_marker(env, MARKER, data)
    env.cr.commit()
    analyze(env.cr, TABLES)
    return data


def open_on(env, company, on_date):
    """(items, customers) of the receivable items open on ON_DATE, counted in SQL from the
    balances and the matchings dated on or before it (independently of both reports)."""
    env.cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM (
            SELECT l.id, l.partner_id, l.balance - COALESCE((
                       SELECT SUM(p.amount) FROM account_partial_reconcile p
                        WHERE p.debit_move_id = l.id AND p.max_date <= %(date)s), 0) + COALESCE((
                       SELECT SUM(p.amount) FROM account_partial_reconcile p
                        WHERE p.credit_move_id = l.id AND p.max_date <= %(date)s), 0) AS residual
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
               AND l.company_id = %(company)s AND l.date <= %(date)s) AS items
         WHERE ROUND(residual, 2) <> 0
        """,
        {"date": on_date, "company": company.id},
    )
    return env.cr.fetchone()


def data_sizes(env, company, run_date, past_date):
    cr = env.cr
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'),
               COUNT(*) FILTER (WHERE m.move_type = 'entry'),
               MIN(l.date), MAX(l.date)
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          JOIN account_move m ON m.id = l.move_id
         WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' AND l.company_id = %s
        """,
        [company.id],
    )
    items, payments, first, last = cr.fetchone()
    cr.execute(
        "SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM account_move WHERE move_type = 'out_invoice'"
        " AND state = 'posted' AND company_id = %s",
        [company.id],
    )
    invoices, customers = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM account_partial_reconcile WHERE company_id = %s", [company.id])
    partials = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM account_full_reconcile")
    fulls = cr.fetchone()[0]
    today_open = open_on(env, company, run_date)
    past_open = open_on(env, company, past_date)
    return {
        "customers invoiced": customers,
        "invoices": invoices,
        "receivable items (instalments)": items,
        "payment lines on receivable": payments,
        "matchings (partial reconciles)": partials,
        "  of which full reconciliations": fulls,
        "entries dated from": f"{first} to {last}",
        f"open items / customers on {run_date}": f"{today_open[0]:,} / {today_open[1]:,}",
        f"open items / customers on {past_date}": f"{past_open[0]:,} / {past_open[1]:,}",
    }


# ----------------------------------------------------------------------
# The reports compared
# ----------------------------------------------------------------------


def ours_aged(env, company, on_date):
    """Our aged balance by customer on ON_DATE, by due date: [{partner_id, buckets, total}]."""
    return env["recouvrement.aged.balance"].get_aged_balance(on_date, "due", company, "partner_id")


def ours_kpis(env, company, run_date):
    """12 months of collections KPIs up to RUN_DATE, as the KPI screen computes them (months,
    cure rates per level, collectors): the number of months."""
    kpi = env["recouvrement.collections.kpi"].create(
        {
            "company_id": company.id,
            "date_from": run_date - relativedelta(months=11, day=1),
            "date_to": run_date,
        }
    )
    kpi._fill_lines()
    return len(kpi.line_ids)


def oca_aged(env, company, on_date, accounts):
    """OCA's aged partner balance on ON_DATE: its wizard (posted entries, the company's receivable
    accounts, no item details) and the data method its PDF, HTML and XLSX reports call,
    ``_get_report_values``, with the data the wizard's print action sends (JSON: dates as
    strings)."""
    wizard = env["aged.partner.balance.report.wizard"].create(
        {
            "company_id": company.id,
            "date_at": on_date,
            "target_move": "posted",
            "receivable_accounts_only": True,
            "account_ids": [Command.set(accounts.ids)],
        }
    )
    data = wizard._prepare_report_data()
    data["date_at"] = fields.Date.to_string(data["date_at"])
    return env["report.account_financial_report.aged_partner_balance"]._get_report_values(wizard.ids, data)


def ours_totals(env, rows):
    """{customer name: (total, [bucket amounts])} and the grand total of our rows."""
    names = {
        partner.id: partner.name
        for partner in env["res.partner"].browse([row["partner_id"] for row in rows if row["partner_id"]])
    }
    per_customer = {
        names.get(row["partner_id"], ""): (row["total"], [row["buckets"].get(n, 0.0) for n in range(6)])
        for row in rows
    }
    return per_customer, sum(row["total"] for row in rows)


def oca_totals(values):
    """Same as ``ours_totals`` from OCA's report values (its customers come by name only)."""
    per_customer = defaultdict(lambda: [0.0, [0.0] * 6])
    total = 0.0
    for account in values["aged_partner_balance"]:
        total += account["residual"]
        for partner in account["partners"]:
            entry = per_customer[partner["name"]]
            entry[0] += partner["residual"]
            entry[1] = [amount + partner[key] for amount, key in zip(entry[1], OCA_BUCKETS, strict=True)]
    return {name: tuple(entry) for name, entry in per_customer.items()}, total


def ledger_balance(env, company, on_date):
    """The receivable accounts' balance on ON_DATE (the general ledger's)."""
    env.cr.execute(
        "SELECT COALESCE(SUM(l.balance), 0) FROM account_move_line l"
        " JOIN account_account a ON a.id = l.account_id"
        " WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'"
        " AND l.company_id = %s AND l.date <= %s",
        [company.id, on_date],
    )
    return env.cr.fetchone()[0]


def cross_check(label, ours, oca, ledger):
    """Problems found comparing our totals with OCA's (grand total, per customer, per bucket)
    and with the ledger's balance."""
    (our_customers, our_total), (oca_customers, oca_total) = ours, oca
    problems = []
    if abs(our_total - oca_total) > TOLERANCE:
        problems.append(f"{label}: total ours {our_total:,.2f}, OCA {oca_total:,.2f}")
    if abs(our_total - ledger) > TOLERANCE:
        problems.append(f"{label}: total ours {our_total:,.2f}, receivable accounts' balance {ledger:,.2f}")
    for name in sorted(set(our_customers) | set(oca_customers)):
        our_amount, our_buckets = our_customers.get(name, (0.0, [0.0] * 6))
        oca_amount, oca_buckets = oca_customers.get(name, (0.0, [0.0] * 6))
        if abs(our_amount - oca_amount) > TOLERANCE:
            problems.append(
                f"{label}: {name or 'no customer'}: ours {our_amount:,.2f}, OCA {oca_amount:,.2f}"
            )
        elif any(abs(a - b) > TOLERANCE for a, b in zip(our_buckets, oca_buckets, strict=True)):
            problems.append(f"{label}: {name}: buckets ours {our_buckets}, OCA {oca_buckets}")
    return problems


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args(argv):
    parser = ledger_argument_parser(
        __doc__, "receivable items", reps=20, oca_reps=5, warmups=2, budget=300.0, min_reps=3
    )
    parser.add_argument("--months-back", type=int, default=6, help="the past date (default: 6 months)")
    return parser.parse_args(argv)


def timed(env, args, function, label, reps):
    return repeat_timed(
        env,
        function,
        reps=reps,
        warmups=args.warmups,
        budget=args.budget,
        min_reps=args.min_reps,
        label=label,
    )


def measure(env, args, company, run_date, past_date):
    """{operation: (our summary, OCA's summary or None, targets)} and the cross-check problems."""
    accounts = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    results, problems = {}, []
    for label, on_date, target in (
        (f"aged balance by customer, today ({run_date})", run_date, 500.0),
        (f"aged balance by customer, {args.months_back} months back ({past_date})", past_date, 2000.0),
    ):
        ours, rows = timed(
            env, args, lambda d=on_date: ours_aged(env, company, d), f"ours {label}", args.reps
        )
        oca = None
        if not args.skip_oca:
            oca, values = timed(
                env,
                args,
                lambda d=on_date: oca_aged(env, company, d, accounts),
                f"OCA {label}",
                args.oca_reps,
            )
            problems += cross_check(
                label, ours_totals(env, rows), oca_totals(values), ledger_balance(env, company, on_date)
            )
            env.cr.rollback()
        results[label] = (ours, oca, target, len(rows))
    label = f"collections KPIs, 12 months to {run_date}"
    ours, months = timed(env, args, lambda: ours_kpis(env, company, run_date), f"ours {label}", args.reps)
    results[label] = (ours, None, 2000.0, months)
    return results, problems


def print_results(sizes, data, results, problems):
    print()
    print("Data")
    for name, value in sizes.items():
        print(f"  {name:<45} {value:>25,}" if isinstance(value, int) else f"  {name:<45} {value:>25}")
    print(f"  {'ledger build (bulk), seconds':<45} {data['build_seconds']:>25}")
    print()
    header = (
        f"{'operation':<60} {'n':>3} {'ours med':>9} {'min':>8} {'max':>8} {'n':>3} {'OCA med':>10}"
        f" {'min':>10} {'max':>10} {'OCA/ours':>9}  targets"
    )
    print(header)
    print("-" * (len(header) + 40))
    for label, (ours, oca, target, _count) in results.items():
        line = f"{label:<60} {ours['n']:>3} {ours['median']:>9.1f} {ours['min']:>8.1f} {ours['max']:>8.1f}"
        verdicts = [f"median ≤ {target / 1000:g} s: {'PASS' if ours['median'] <= target else 'FAIL'}"]
        if oca:
            ratio = oca["median"] / ours["median"]
            line += f" {oca['n']:>3} {oca['median']:>10.1f} {oca['min']:>10.1f} {oca['max']:>10.1f}"
            line += f" {ratio:>8.1f}×"
            verdicts.append(f"≥ 10× faster: {'PASS' if ratio >= 10 else 'FAIL'}")
        elif "KPI" not in label:
            line += f" {'':>3} {'skipped':>10} {'':>10} {'':>10} {'':>9}"
        else:
            line += f" {'':>3} {'':>10} {'':>10} {'':>10} {'':>9}"
        print(f"{line}  {'; '.join(verdicts)}")
    print("(milliseconds; n = timed calls, each in a transaction rolled back)")
    for label, (_ours, _oca, _target, count) in results.items():
        print(f"  {label}: {count:,} {'months' if 'KPI' in label else 'customers'}")
    if problems:
        print(f"CROSS-CHECK FAILED ({len(problems)} differences):")
        for problem in problems[:20]:
            print(f"  {problem}")
    elif any(oca for _ours, oca, _target, _count in results.values()):
        print(
            "Cross-check: total receivable, per-customer totals and buckets equal OCA's on both dates,"
            " totals equal the receivable accounts' balance"
        )


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_credit", "account_financial_report"))
        data = build_and_check(
            env, args, build_data, "bulk: ORM entries cloned in SQL, 18 months of invoices and payments"
        )
        if data is None:
            return 1
        company = env["res.company"].browse(data["company"])
        run_date = date.fromisoformat(data["run_date"])
        past_date = run_date - relativedelta(months=args.months_back)
        sizes = data_sizes(env, company, run_date, past_date)
        print("Measuring…")
        results, problems = measure(env, args, company, run_date, past_date)
        cr.rollback()
    print_results(sizes, data, results, problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
