#!/usr/bin/env bash
# `make i18n`: install the addons on a scratch database, regenerate each addon's .pot with Odoo's
# exporter and merge it into fr.po. Then translate the new fr.po entries (no msgstr) and commit.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
require_odoo
ensure_system_packages
WORK=$(mktemp -d -t recouvrement-i18n.XXXXXX)
chmod 755 "$WORK"
trap 'pg_stop; rm -rf "$WORK"' EXIT
QUEUE_JOB_ADDONS=$(fetch_queue_job "$WORK/queue_job") || exit 2
pg_start "$WORK/pg"
write_odoo_rc "$WORK/odoo.rc" "$(free_port)" "$QUEUE_JOB_ADDONS"
odoo -c "$WORK/odoo.rc" -d i18n -i "$ADDONS,$QUEUE_BRIDGE" --without-demo=all --stop-after-init --logfile="$WORK/odoo.log" \
    || die "installation failed: $(tail -n 20 "$WORK/odoo.log")"
"$PYTHON" "$REPO/scripts/i18n.py" update -c "$WORK/odoo.rc" -d i18n
