#!/usr/bin/env bash
# Customer-portal benchmark: our statement page against stock Odoo's /my/invoices for the same
# customer with 5,000 open items (README.md beside this file; `make bench-portal`).
#
# Starts a private PostgreSQL cluster in a temporary folder, creates database "bench_portal" with
# recouvrement_portal (no OCA module: the peer is stock Odoo's portal), then runs bench_portal.py,
# which builds the customer's ledger and prints the figures. Everything it started is stopped and
# removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster and the database in DIR and reuse them on the next
#                              run (default: a temporary folder, removed on exit); may be the same
#                              folder as the other benchmarks'
#              BENCH_ARGS="…"  extra options for bench_portal.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_portal
started=$(date +%s)
bench_cluster
bench_database "$DB" recouvrement_portal

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_portal.py -c "$RC" -d "$DB" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
