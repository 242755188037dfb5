#!/usr/bin/env bash
# The project's test command (README: `make test`). Checks that Odoo 18 is importable, installs
# what the suite needs, starts a throwaway PostgreSQL cluster, then runs: lint, the three addons'
# tests with Odoo's runner on a fresh database, the translation check, and tests/ with pytest-odoo.
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

require_odoo  # first: without Odoo nothing else is worth doing
ensure_system_packages
ensure_python_deps

WORK=$(mktemp -d -t recouvrement-test.XXXXXX)
chmod 755 "$WORK"
DB=recouvrement_test
trap 'pg_stop; rm -rf "$WORK"' EXIT
cd "$REPO" || exit 2

passed=0 failed=0 failed_steps=()
check() {  # check NAME COMMAND...: a harness check counts as one test
    local name=$1; shift
    say "$name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_steps+=("$name"); fi
}
add_counts() {  # add_counts RUN FAILED STEP
    passed=$((passed + $1 - $2)); failed=$((failed + $2))
    [ "$2" -eq 0 ] || failed_steps+=("$3")
}

check "lint: ruff, pylint-odoo, OCA hooks" bash scripts/lint.sh

# The queue_job bridge is tested like the others, with OCA queue_job from PyPI (a private folder).
say "OCA queue_job for $QUEUE_BRIDGE: $(queue_job_requirement)"
QUEUE_JOB_ADDONS=$(fetch_queue_job "$WORK/queue_job") || exit 2
TESTED=$ADDONS,$QUEUE_BRIDGE

pg_start "$WORK/pg"
RC=$WORK/odoo.rc
write_odoo_rc "$RC" "$(free_port)" "$QUEUE_JOB_ADDONS"

# The French chart is installed beside the addons (not a dependency of theirs) so that the tests of
# the French accounting (doubtful debts, penalty accounts) run instead of skipping.
# payment_demo too: the portal's browser tours pay invoices with Odoo's demo payment provider.
say "Odoo: install $TESTED, the French chart and the demo payment provider on a new database (no demo data) and run their tests"
odoo -c "$RC" -d "$DB" -i "$TESTED,l10n_fr_account,payment_demo" --without-demo=all --test-enable \
    --test-tags="/${TESTED//,/,/}" --stop-after-init --logfile="$WORK/odoo.log"
odoo_rc=$?
"$PYTHON" scripts/check_odoo_log.py "$WORK/odoo.log" --counts-to "$WORK/odoo.counts"
log_rc=$?
read -r odoo_run odoo_failed < "$WORK/odoo.counts"
add_counts "$odoo_run" "$odoo_failed" "Odoo tests"
if [ $odoo_rc -ne 0 ] || [ $log_rc -ne 0 ]; then
    failed=$((failed + 1)); failed_steps+=("Odoo install log (exit $odoo_rc)")
    echo "Full log: last 40 lines"; tail -n 40 "$WORK/odoo.log"
else
    passed=$((passed + 1))
fi

check "translations in sync" "$PYTHON" scripts/i18n.py check -c "$RC" -d "$DB"

say "pytest-odoo: tests/"
"$PYTHON" -m pytest tests -p no:cacheprovider --odoo-config="$RC" --odoo-database="$DB" \
    --junitxml="$WORK/pytest.xml"
"$PYTHON" - "$WORK/pytest.xml" > "$WORK/pytest.counts" <<'PY'
import sys, xml.etree.ElementTree as ET
suites = ET.parse(sys.argv[1]).getroot()
suites = [suites] if suites.tag == "testsuite" else list(suites)
run = sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
print(run, bad)
PY
read -r py_run py_failed < "$WORK/pytest.counts" || { py_run=0; py_failed=1; }
add_counts "$py_run" "$py_failed" "pytest"

say "Summary"
[ ${#failed_steps[@]} -eq 0 ] || printf 'Failed: %s\n' "${failed_steps[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
