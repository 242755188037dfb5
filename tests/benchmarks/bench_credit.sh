#!/usr/bin/env bash
# Credit-check benchmark against the OCA peers (README.md beside this file; `make bench-credit`).
#
# Starts a private PostgreSQL cluster in a temporary folder, installs the OCA modules
# account_financial_risk and sale_financial_risk (18.0, from PyPI) into a private folder of that
# run (never into site-packages), creates database "bench" with recouvrement_credit and both OCA
# modules, then runs bench_credit.py, which builds the data and prints the table. Everything it
# started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the database and the OCA folder in DIR and reuse
#                              them on the next run (default: a temporary folder, removed on exit)
#              BENCH_ARGS="…"  extra options for bench_credit.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench
started=$(date +%s)
bench_oca "$WORK/oca" sale_financial_risk \
    'odoo-addon-account-financial-risk>=18.0,<18.1' 'odoo-addon-sale-financial-risk>=18.0,<18.1'
bench_cluster "$WORK/oca"
bench_database "$DB" recouvrement_credit,account_financial_risk,sale_financial_risk

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_credit.py -c "$RC" -d "$DB" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
