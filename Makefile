# The README's commands. PYTHON selects the interpreter that has Odoo 18.0 (default: python3).
.PHONY: test demo demo-reset i18n lint bench

test:  ## Lint, install the addons on a fresh database, run every test; ends with "N passed, N failed"
	@bash scripts/test.sh

demo:  ## Start Odoo on http://localhost:8069 with the demo company (admin / admin)
	@bash scripts/demo.sh

demo-reset:  ## Drop the demo database, then start the demo from scratch
	@bash scripts/demo.sh --reset

i18n:  ## Regenerate each addon's .pot from the code and merge it into fr.po
	@bash scripts/i18n.sh

lint:  ## ruff, pylint-odoo mandatory checks and the OCA XML/PO hooks only
	@bash scripts/lint.sh

bench:  ## Benchmarks against the OCA peers (tests/benchmarks/README.md)
	@bash tests/benchmarks/bench_credit.sh
