# The README's commands. PYTHON selects the interpreter that has Odoo 18.0 (default: python3).
.PHONY: test demo demo-reset i18n lint bench bench-credit bench-dunning bench-reporting bench-portal bench-overhead bench-dispatch bench-workers bench-letters

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

bench: bench-credit bench-dunning bench-reporting  ## Benchmarks against the OCA peers (tests/benchmarks/README.md)

bench-credit:  ## Credit-check benchmark against OCA account_financial_risk / sale_financial_risk
	@bash tests/benchmarks/bench_credit.sh

bench-dunning:  ## Dunning-run benchmark against OCA account_credit_control (100,000 open items)
	@bash tests/benchmarks/bench_dunning.sh

bench-reporting:  ## Aged balance and KPI benchmark against OCA account_financial_report (100,000 items)
	@bash tests/benchmarks/bench_reporting.sh

bench-portal:  ## Portal benchmark: our statement page against stock /my/invoices (5,000 open items)
	@bash tests/benchmarks/bench_portal.sh

bench-overhead:  ## Posting and paying 1,000 invoices: stock, with recouvrement_credit, with OCA account_financial_risk
	@bash tests/benchmarks/bench_overhead.sh

bench-dispatch:  ## Sending the dunning run's reminders (emails to a local SMTP sink, SMS, letters) against OCA account_credit_control
	@bash tests/benchmarks/bench_dispatch.sh

bench-workers:  ## Run + sending as queue_job jobs on 1 and 2 Odoo workers; a worker killed mid-batch
	@bash tests/benchmarks/bench_workers.sh

bench-letters:  ## Reminder letters to PDF: one per wkhtmltopdf call against our batches (target >= 3 letters/s)
	@bash tests/benchmarks/bench_letters.sh
