# Shared steps of the benchmark scripts (bench_credit.sh, bench_dunning.sh). Source it; don't run it.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

# bench_workdir: WORK is $BENCH_WORK (kept, reused by the next run) or a temporary folder removed
# on exit; the private cluster is stopped on exit either way.
bench_workdir() {
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
    cd "$REPO" || exit 2
}

# bench_oca DIR ADDON REQUIREMENT...: the OCA wheels REQUIREMENT... installed into DIR (a private
# folder, never site-packages) unless DIR already holds ADDON. --no-deps: the wheels depend on the
# 'odoo' distribution, which is not on PyPI. One folder per benchmark: pip --target does not
# merge a second install into an existing odoo/addons folder.
bench_oca() {
    local dir=$1 addon=$2
    shift 2
    if [ ! -d "$dir/odoo/addons/$addon" ]; then
        say "OCA modules from PyPI into $dir (not site-packages): $*"
        "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps --target "$dir" "$@" 2>&1 \
            | grep -v "is ignored\|Running pip as the 'root'" || true
        [ -d "$dir/odoo/addons/$addon" ] || die "the OCA modules could not be installed"
    fi
    ls -d "$dir"/*.dist-info | sed 's|.*/|   |'
}

# bench_cluster [OCA_DIR]: start the private cluster of $WORK on a free port (not the test and
# demo clusters', which may be running) and write RC, an Odoo configuration for it whose addons
# path ends with OCA_DIR's addons (none without OCA_DIR: a benchmark against stock Odoo).
bench_cluster() {
    PGPORT=$(free_port)
    export PGPORT
    pg_start "$WORK/pg"
    RC=$WORK/odoo.rc
    write_odoo_rc "$RC" "$(free_port)"
    if [ -n "${1:-}" ]; then
        sed -i "s|^addons_path = .*|&,$1/odoo/addons|" "$RC"
    fi
}

# bench_database DB MODULES: create DB with MODULES (no demo data) unless it exists; with
# BENCH_UPDATE=1, update our addons in an existing DB (after pulling new code into a kept
# BENCH_WORK: the data stay).
bench_database() {
    local db=$1 modules=$2
    if [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
        say "Database $db: $modules (no demo data)"
        odoo -c "$RC" -d "$db" -i "$modules" --without-demo=all --stop-after-init --logfile="$WORK/install-$db.log" \
            || { dropdb --if-exists "$db"; tail -n 40 "$WORK/install-$db.log"; die "installation failed"; }
    elif [ -n "${BENCH_UPDATE:-}" ]; then
        say "Database $db: updating $ADDONS"
        odoo -c "$RC" -d "$db" -u "$ADDONS" --stop-after-init --logfile="$WORK/update-$db.log" \
            || { tail -n 40 "$WORK/update-$db.log"; die "update failed"; }
    fi
}
