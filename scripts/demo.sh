#!/usr/bin/env bash
# The demo command (README: `make demo`, `make demo-reset`).
#
# Starts Odoo 18 on http://localhost:8069 (admin / admin) with the three addons, their demo data
# and French loaded, in database recouvrement_demo. Uses the PostgreSQL server that PGHOST (and
# PGPORT, PGUSER) point to; without PGHOST it starts its own cluster, kept between runs in
# $RECOUVREMENT_DEMO_DIR. Ctrl-C stops everything it started.
#
# Options: --reset          drop the demo database first (start from scratch)
#          --create-only    build the database if needed, then stop (no server)
#          --database NAME  another database name (default: recouvrement_demo)
#          --port N         another HTTP port (default: 8069)
set -uo pipefail
source "$(dirname "$0")/lib.sh"

DB=recouvrement_demo PORT=8069 RESET= CREATE_ONLY=
while [ $# -gt 0 ]; do
    case $1 in
        --reset) RESET=1 ;;
        --create-only) CREATE_ONLY=1 ;;
        --database) DB=$2; shift ;;
        --port) PORT=$2; shift ;;
        *) die "unknown option: $1 (see the header of $0)" ;;
    esac
    shift
done

require_odoo
ensure_system_packages

DEMO_DIR=${RECOUVREMENT_DEMO_DIR:-${TMPDIR:-/var/tmp}/recouvrement-demo-$(id -un)}
mkdir -p "$DEMO_DIR" && chmod 755 "$DEMO_DIR"
trap 'pg_stop' EXIT
if [ -z "${PGHOST:-}" ]; then
    say "Starting the demo's own PostgreSQL cluster in $DEMO_DIR/pgdata"
    pg_start "$DEMO_DIR/pgdata"
fi
RC=$DEMO_DIR/odoo-$DB.rc
write_odoo_rc "$RC" "$PORT"

database_exists() {
    [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]
}

if [ -n "$RESET" ] && database_exists; then
    say "Dropping database $DB"
    dropdb --force "$DB" || die "could not drop $DB"
fi
if ! database_exists; then
    # The French chart of accounts first: the demo company loads it when it is available. Odoo's
    # demo payment provider too (not a dependency of the addons): the portal demo enables it for
    # the demo company, so that customers pay their invoices online.
    say "Creating database $DB: French accounting and the demo payment provider, then the Recouvrement addons with demo data"
    odoo -c "$RC" -d "$DB" -i l10n_fr_account,payment_demo --load-language=fr_FR --stop-after-init \
        --logfile="$DEMO_DIR/$DB-install.log" \
        && odoo -c "$RC" -d "$DB" -i "$ADDONS" --stop-after-init --logfile="$DEMO_DIR/$DB-install.log" \
        || { dropdb --if-exists "$DB"; die "installation failed, see $DEMO_DIR/$DB-install.log"; }
fi
[ -n "$CREATE_ONLY" ] && exit 0

say "Recouvrement demo: http://localhost:$PORT  (login admin, password admin; collectors: sophie / sophie, karim / karim; portal: martin, girard, clinique, fontaine, rousseau, password = login)"
echo "Ctrl-C stops Odoo and the demo's PostgreSQL. \`make demo-reset\` starts from scratch."
# Outgoing emails go to a local server that keeps them in $DEMO_DIR/mail (fictitious customers).
MAIL_PORT=$(free_port)
"$PYTHON" "$REPO/scripts/mail_sink.py" "$DEMO_DIR/mail" "$MAIL_PORT" &
MAIL_PID=$!
trap 'kill "$MAIL_PID" 2>/dev/null; pg_stop' EXIT
echo "Emails sent by the demo are kept in $DEMO_DIR/mail (one .eml file each), never delivered."
# The scheduled jobs run as in production (one cron thread): queued reminders and letters go out,
# invoice PDFs are generated, the dunning run comes daily. The configuration file keeps 0 for the
# tests, which run their jobs themselves.
odoo -c "$RC" -d "$DB" --db-filter="^$DB\$" --max-cron-threads=1 --smtp=127.0.0.1 --smtp-port="$MAIL_PORT"
