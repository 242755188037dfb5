#!/usr/bin/env bash
# Dunning-run benchmark against OCA account_credit_control (README.md beside this file;
# `make bench-dunning`).
#
# Starts a private PostgreSQL cluster in a temporary folder, installs the OCA module
# account_credit_control (18.0, from PyPI) into a private folder of that run (never into
# site-packages), creates database "bench_dunning" with recouvrement_credit and
# account_credit_control, then runs bench_dunning.py, which builds the ledger (100,000 open items)
# and prints the figures. Everything it started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the database and the OCA folder in DIR and reuse
#                              them on the next run (default: a temporary folder, removed on exit);
#                              may be the same folder as bench_credit.sh's
#              BENCH_ARGS="…"  extra options for bench_dunning.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_dunning
started=$(date +%s)
bench_oca "$WORK/oca-dunning" account_credit_control 'odoo-addon-account-credit-control>=18.0,<18.1'
bench_cluster "$WORK/oca-dunning"
bench_database "$DB" recouvrement_credit,account_credit_control

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_dunning.py -c "$RC" -d "$DB" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
