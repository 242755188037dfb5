#!/usr/bin/env bash
# Reporting benchmark: our aged balance and collections KPIs, the aged balance against OCA
# account_financial_report's aged partner balance (README.md beside this file;
# `make bench-reporting`).
#
# Starts a private PostgreSQL cluster in a temporary folder, installs the OCA modules
# account_financial_report and the two it depends on, date_range and report_xlsx (18.0, from
# PyPI), into a private folder of that run (never into site-packages), creates database
# "bench_reporting" with recouvrement_credit and account_financial_report, then runs
# bench_reporting.py, which builds the ledger (100,000 items over 18 months) and prints the
# figures. Everything it started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the database and the OCA folder in DIR and reuse
#                              them on the next run (default: a temporary folder, removed on exit);
#                              may be the same folder as the other benchmarks'
#              BENCH_ARGS="…"  extra options for bench_reporting.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_reporting
started=$(date +%s)
bench_oca "$WORK/oca-reporting" account_financial_report \
    'odoo-addon-account-financial-report>=18.0,<18.1' 'odoo-addon-date-range>=18.0,<18.1' \
    'odoo-addon-report-xlsx>=18.0,<18.1'
bench_cluster "$WORK/oca-reporting"
bench_database "$DB" recouvrement_credit,account_financial_report

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_reporting.py -c "$RC" -d "$DB" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
