#!/usr/bin/env bash
# Letters benchmark: reminder letters sent one per wkhtmltopdf call against our batches, in the
# same run, on the same reminders (README.md beside this file; `make bench-letters`).
#
# Starts a private PostgreSQL cluster in a temporary folder, creates database "bench_letters" with
# recouvrement_credit, starts an Odoo server on it (wkhtmltopdf loads the report's assets from it,
# as from a running Odoo), then runs bench_letters.py, which builds the reminders and prints the
# figures. Everything it started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster and the database in DIR and reuse them on the next
#                              run (default: a temporary folder, removed on exit)
#              BENCH_ARGS="…"  extra options for bench_letters.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_letters
started=$(date +%s)
bench_cluster
bench_database "$DB" recouvrement_credit

port=$(sed -n 's/^http_port = //p' "$RC")
say "Odoo server of $DB on port $port (the report assets)"
"$PYTHON" -m odoo -c "$RC" -d "$DB" --db-filter="^$DB\$" --logfile="$WORK/server-$DB.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; pg_stop; [ -n "${BENCH_WORK:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" || die "the Odoo server did not start ($WORK/server-$DB.log)"

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_letters.py -c "$RC" -d "$DB" --report-url "http://127.0.0.1:$port" \
    --server-pid "$server" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
