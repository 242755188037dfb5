#!/usr/bin/env bash
# Everyday-accounting overhead benchmark (README.md beside this file; `make bench-overhead`):
# posting customer invoices and registering their payments in batches on stock Odoo, with
# recouvrement_credit, and with OCA account_financial_risk, on the same data.
#
# Starts a private PostgreSQL cluster in a temporary folder, installs account_financial_risk (18.0,
# from PyPI) into a private folder of that run (never into site-packages), creates three databases
# the same way: bench_ovh_stock (account, sale), bench_ovh_ours (+ recouvrement_credit) and
# bench_ovh_oca (+ account_financial_risk), then runs bench_overhead.py, which builds the same data
# in each and prints the figures. Everything it started is stopped and removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the databases and the OCA folder in DIR and reuse
#                              them on the next run (default: a temporary folder, removed on exit)
#              BENCH_ARGS="…"  extra options for bench_overhead.py (see its --help)
#              BENCH_UPDATE=1  update recouvrement_credit in a kept bench_ovh_ours first
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
started=$(date +%s)
bench_oca "$WORK/oca-overhead" account_financial_risk 'odoo-addon-account-financial-risk>=18.0,<18.1'
bench_cluster "$WORK/oca-overhead"
bench_database bench_ovh_stock account,sale
# The other two start from a copy of the stock one, so that all three are built the same way.
for pair in ours:recouvrement_credit oca:account_financial_risk; do
    db=bench_ovh_${pair%%:*} module=${pair#*:}
    if [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
        say "Database $db: a copy of bench_ovh_stock, + $module"
        createdb -T bench_ovh_stock "$db" || die "could not copy bench_ovh_stock"
        odoo -c "$RC" -d "$db" -i "$module" --without-demo=all --stop-after-init --logfile="$WORK/install-$db.log" \
            || { dropdb --if-exists "$db"; tail -n 40 "$WORK/install-$db.log"; die "installation failed"; }
    elif [ -n "${BENCH_UPDATE:-}" ] && [ "$module" = recouvrement_credit ]; then
        say "Database $db: updating $module"
        odoo -c "$RC" -d "$db" -u "$module" --stop-after-init --logfile="$WORK/update-$db.log" \
            || { tail -n 40 "$WORK/update-$db.log"; die "update failed"; }
    fi
done

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_overhead.py -c "$RC" \
    --stock bench_ovh_stock --ours bench_ovh_ours --oca bench_ovh_oca ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
