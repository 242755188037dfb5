#!/usr/bin/env bash
# Credit-check benchmark against the OCA peers (README.md beside this file; `make bench`).
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
source "$(dirname "$0")/../../scripts/lib.sh"

require_odoo  # PostgreSQL: pg_start says so when its server binaries are missing

if [ -n "${BENCH_WORK:-}" ]; then
    WORK=$BENCH_WORK
    mkdir -p "$WORK"
    trap 'pg_stop' EXIT
else
    WORK=$(mktemp -d -t recouvrement-bench.XXXXXX)
    trap 'pg_stop; rm -rf "$WORK"' EXIT
fi
chmod 755 "$WORK"
DB=bench
cd "$REPO" || exit 2
started=$(date +%s)

if [ ! -d "$WORK/oca/odoo/addons/sale_financial_risk" ]; then
    say "OCA peers from PyPI into $WORK/oca (not site-packages)"
    # --no-deps: the wheels depend on the 'odoo' distribution, which is not on PyPI.
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps --target "$WORK/oca" \
        'odoo-addon-account-financial-risk>=18.0,<18.1' 'odoo-addon-sale-financial-risk>=18.0,<18.1' 2>&1 \
        | grep -v "is ignored\|Running pip as the 'root'" || true
    [ -d "$WORK/oca/odoo/addons/sale_financial_risk" ] || die "the OCA modules could not be installed"
fi
ls -d "$WORK"/oca/*.dist-info | sed 's|.*/|   |'

# Another port than the test and demo clusters', which may be running.
PGPORT=$(free_port)
export PGPORT
pg_start "$WORK/pg"
RC=$WORK/odoo.rc
write_odoo_rc "$RC" "$(free_port)"
sed -i "s|^addons_path = .*|&,$WORK/oca/odoo/addons|" "$RC"

if [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    say "Database $DB: recouvrement_credit, account_financial_risk, sale_financial_risk (no demo data)"
    odoo -c "$RC" -d "$DB" -i recouvrement_credit,account_financial_risk,sale_financial_risk \
        --without-demo=all --stop-after-init --logfile="$WORK/install.log" \
        || { dropdb --if-exists "$DB"; tail -n 40 "$WORK/install.log"; die "installation failed"; }
fi

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_credit.py -c "$RC" -d "$DB" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
