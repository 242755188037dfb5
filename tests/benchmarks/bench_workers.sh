#!/usr/bin/env bash
# Scale-out benchmark: the dunning run and the sending as queue_job jobs on 1 and 2 Odoo worker
# processes, and a worker killed mid-batch (README.md beside this file; `make bench-workers`).
#
# Starts a private PostgreSQL cluster in a temporary folder, installs OCA queue_job (18.0, from
# PyPI) into a private folder of that run (never into site-packages), creates database
# "bench_workers" with recouvrement_credit_queue, then runs bench_workers.py, which builds the
# ledger, copies the database for each measured run and starts an Odoo server with its job runner
# on the copy. Everything it started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the database and the OCA folder in DIR and reuse
#                              them on the next run (default: a temporary folder, removed on exit)
#              BENCH_ARGS="…"  extra options for bench_workers.py (see its --help)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_workers
started=$(date +%s)
bench_oca "$WORK/oca-queue" queue_job "$(queue_job_requirement)"
bench_cluster "$WORK/oca-queue"
bench_database "$DB" recouvrement_credit,recouvrement_credit_queue

say "Benchmark (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_workers.py -c "$RC" -d "$DB" --work "$WORK" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
exit $status
