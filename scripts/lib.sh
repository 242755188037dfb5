# Shared helpers for scripts/test.sh and scripts/demo.sh. Source it; don't run it.
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
ADDONS=recouvrement_credit,recouvrement_portal,recouvrement_legal,recouvrement_credit_stock,recouvrement_credit_dashboard,recouvrement_legal_portal
SYSTEM_PACKAGES=(postgresql wkhtmltopdf chromium chromium-driver fonts-dejavu-core)
# The bridge to OCA queue_job, tested (and translated) with queue_job downloaded from PyPI into a
# private folder (fetch_queue_job); QUEUE_JOB_REQUIREMENT may name a local wheel instead (offline).
QUEUE_BRIDGE=recouvrement_credit_queue

say() { printf '\n== %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

# Odoo 18.0 for the rest of the command: $PYTHON when it has it; otherwise the project's virtual
# environment ($RECOUVREMENT_VENV, default .venv), set up first when it lacks Odoo too, from
# $ODOO_SOURCE (scripts/bootstrap_odoo.py). Then PYTHON names the venv's Python and its bin/
# leads PATH (ruff, pytest...). Stops with instructions when the source cannot be had.
require_odoo() {
    "$PYTHON" "$REPO/scripts/require_odoo.py" --quiet && return 0
    local venv=${RECOUVREMENT_VENV:-$REPO/.venv} fetched tree packages
    if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" "$REPO/scripts/require_odoo.py" --quiet; then
        say "Odoo 18.0 is not importable by $PYTHON: setting it up in $venv"
        fetched=$("$PYTHON" "$REPO/scripts/bootstrap_odoo.py" fetch "$venv") || exit 2
        tree=$(sed -n 1p <<<"$fetched")
        read -r -a packages <<<"$(sed -n 2p <<<"$fetched")"
        ensure_debian_packages "${packages[@]}"
        "$PYTHON" "$REPO/scripts/bootstrap_odoo.py" install "$venv" "$tree" || exit 2
        "$venv/bin/python" "$REPO/scripts/require_odoo.py" || exit 2
    fi
    export PYTHON=$venv/bin/python PATH=$venv/bin:$PATH
}

# ensure_debian_packages PACKAGE...: install those not installed yet (root), explain otherwise.
ensure_debian_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
    apt_install "${missing[@]}"
}

apt_install() {
    say "Installing Debian packages: $*"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || die "apt-get could not install: $*"
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Debian packages the suite needs: installed when missing (root), explained otherwise.
ensure_system_packages() {
    local missing=()
    [ -n "$(pg_bindir)" ] || missing+=(postgresql)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || missing+=(chromium chromium-driver)
    [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${SYSTEM_PACKAGES[*]})"
    fi
    apt_install "${missing[@]}"
}

ensure_python_deps() {
    "$PYTHON" -m pip install -q --disable-pip-version-check -r "$REPO/requirements-test.txt" 2>&1 \
        | grep -v "is ignored\|Running pip as the 'root'\|warnings/venv" || true
    "$PYTHON" -c 'import pytest_odoo, pylint_odoo, freezegun, xlsxwriter, lxml, websocket' \
        || die "Python test dependencies are missing (pip install -r requirements-test.txt)"
}

# Run a PostgreSQL command as the cluster owner: initdb refuses root, so root uses 'postgres'.
as_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR: start (creating if needed) a private cluster in DIR, reachable only through a
# unix socket in DIR, with superuser role 'odoo'. Exports PGHOST, PGPORT, PGUSER.
pg_start() {
    local dir=$1 bin
    bin=$(pg_bindir) || die "PostgreSQL server binaries not found"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        as_pg_owner "$bin/initdb" -D "$dir" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed in $dir"
    fi
    export PGHOST=$dir PGPORT=${PGPORT:-54329} PGUSER=odoo
    as_pg_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -s start -o \
        "-k $dir -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        || die "PostgreSQL did not start; see $dir/server.log"
    PG_RUNNING_DIR=$dir
}

pg_stop() {
    [ -n "${PG_RUNNING_DIR:-}" ] || return 0
    as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_RUNNING_DIR" -m fast -w -s stop || true
    PG_RUNNING_DIR=
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# queue_job_requirement: $QUEUE_JOB_REQUIREMENT, else the newest queue_job 18.0 that runs on the
# Odoo in use: releases from 18.0.1.7.1 on mark methods with odoo.api.private, which Odoo 18.0
# gained in 2025; on an earlier 18.0 build, the last release made for it.
queue_job_requirement() {
    if [ -n "${QUEUE_JOB_REQUIREMENT:-}" ]; then
        echo "$QUEUE_JOB_REQUIREMENT"
    elif "$PYTHON" -c 'import sys, odoo.api; sys.exit(not hasattr(odoo.api, "private"))' 2>/dev/null; then
        echo 'odoo-addon-queue-job>=18.0,<18.1'
    else
        echo 'odoo-addon-queue-job>=18.0,<18.0.1.7.1'
    fi
}

# fetch_queue_job DIR: install OCA queue_job 18.0 (queue_job_requirement) into DIR, never into
# site-packages, and print its addons folder. Stops with the reason when PyPI cannot be reached.
# Run it as QUEUE_JOB_ADDONS=$(fetch_queue_job DIR) || exit 2.
fetch_queue_job() {
    local dir=$1 requirement output
    requirement=$(queue_job_requirement)
    output=$("$PYTHON" -m pip install -q --disable-pip-version-check --retries 2 --no-deps --target "$dir" \
        "$requirement" 2>&1) \
        || die "could not install OCA queue_job ($requirement), which $QUEUE_BRIDGE needs, from PyPI:
$(grep -v "Running pip as the 'root'\|warnings/venv" <<<"$output" | tail -n 5)
Offline: download the wheel elsewhere (pip download --no-deps '$requirement') and run again
with QUEUE_JOB_REQUIREMENT=/path/to/the.whl"
    [ -d "$dir/odoo/addons/queue_job" ] || die "$requirement did not install odoo/addons/queue_job in $dir"
    echo "$dir/odoo/addons"
}

# write_odoo_rc FILE HTTP_PORT [ADDONS_DIR]: an Odoo configuration pointing at the running cluster
# (ADDONS_DIR, e.g. queue_job's, added to the addons path).
write_odoo_rc() {
    cat > "$1" <<RC
[options]
addons_path = $("$PYTHON" "$REPO/scripts/odoo_addons_path.py")${3:+,$3}
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
http_interface = 127.0.0.1
http_port = $2
gevent_port = $(free_port)
max_cron_threads = 0
RC
}

odoo() {
    "$PYTHON" -m odoo "$@"
}
