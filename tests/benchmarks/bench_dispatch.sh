#!/usr/bin/env bash
# Sending benchmark: the reminders of the dunning run on the 100,000-item ledger sent by email (to
# a local SMTP sink), SMS (a test provider) and letter (PDF), against OCA account_credit_control's
# email communications (README.md beside this file; `make bench-dispatch`).
#
# Starts a private PostgreSQL cluster in a temporary folder, installs the OCA module
# account_credit_control (18.0, from PyPI) and the SMTP server library aiosmtpd (PyPI; the sink's
# only, not a dependency of the addons) into private folders of that run (never into
# site-packages), creates database "bench_dispatch" with recouvrement_credit and
# account_credit_control, then runs bench_dispatch.py, which builds the ledger (or reuses it),
# copies the database for each side and prints the figures. Everything it started is stopped and
# removed on exit.
#
# Environment: BENCH_WORK=DIR  keep the cluster, the database and the private folders in DIR and
#                              reuse them on the next run (default: a temporary folder)
#              BENCH_ARGS="…"  extra options for bench_dispatch.py (see its --help), e.g.
#                              "--items 20000 --customers 2000" for a quick run
#              BENCH_UPDATE=1  update our addons in a kept database first (-u, the ledger stays)
set -uo pipefail
source "$(dirname "$0")/benchlib.sh"

bench_workdir
DB=bench_dispatch
started=$(date +%s)
bench_oca "$WORK/oca-dispatch" account_credit_control 'odoo-addon-account-credit-control>=18.0,<18.1'
if [ ! -d "$WORK/smtp-sink/aiosmtpd" ]; then
    say "SMTP sink library from PyPI into $WORK/smtp-sink (not site-packages): aiosmtpd"
    "$PYTHON" -m pip install -q --disable-pip-version-check --target "$WORK/smtp-sink" 'aiosmtpd>=1.4,<2' 2>&1 \
        | grep -v "is ignored\|Running pip as the 'root'" || true
    [ -d "$WORK/smtp-sink/aiosmtpd" ] || die "aiosmtpd could not be installed"
fi
bench_cluster "$WORK/oca-dispatch"
echo "data_dir = $WORK/data" >> "$RC"
bench_database "$DB" recouvrement_credit,account_credit_control

say "Benchmark"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
"$PYTHON" tests/benchmarks/bench_dispatch.py -c "$RC" -d "$DB" --sink-python-path "$WORK/smtp-sink" ${BENCH_ARGS:-}
status=$?
say "Whole run: $(($(date +%s) - started)) s"
exit $status
