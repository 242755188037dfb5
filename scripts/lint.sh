#!/usr/bin/env bash
# Lint: ruff (lint + format), pylint-odoo's mandatory checks, and the OCA hooks that took over
# pylint-odoo's XML/CSV/PO checks. Exits non-zero on the first tool with findings.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO" || exit 2
addons=(recouvrement_*/)
status=0
ruff check --quiet . || status=1
ruff format --check --quiet . || status=1
"$PYTHON" -m pylint --rcfile=setup.cfg "${addons[@]}" || status=1
oca-checks-odoo-module "${addons[@]}" || status=1
# po-pretty-format would empty every msgstr equal to its msgid ("Configuration"), which the
# translation check then reports as untranslated: scripts/i18n.py formats the files instead.
oca-checks-po --disable=po-pretty-format recouvrement_*/i18n/*.po recouvrement_*/i18n/*.pot || status=1
exit $status
