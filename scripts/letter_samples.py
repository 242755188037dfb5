"""Render the dunning letters of a French sample customer to PNG, for the README.

    python3 scripts/letter_samples.py -c ODOO_RC -d DB [--out docs/img]

Writes letter-reminder-courteous.png, letter-reminder-firm.png, letter-formal-notice.png and
letter-statement.png (first page of each letter). Everything it creates (the customer, its invoices
and reminders, French activated, a bank account for the company) lives in one transaction that is
rolled back at the end: DB is left as it was. DB needs recouvrement_credit installed, not demo data.

Each letter is rendered to PDF through wkhtmltopdf, as Odoo prints it; wkhtmltopdf fetches the
report's assets over HTTP, so the script serves them from a local Odoo HTTP server on a free port.
The PNG comes from the PDF with pdftoppm when it is installed, else from the same HTML through
wkhtmltoimage (one A4-wide page, cut at the first page's height, scaled with Pillow).
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import date, timedelta

from PIL import Image

LETTERS = {  # file name -> (report xml id, level's days from the due date or None for a statement)
    "letter-reminder-courteous": ("recouvrement_credit.action_report_dunning_letter", 1),
    "letter-reminder-firm": ("recouvrement_credit.action_report_dunning_letter", 15),
    "letter-formal-notice": ("recouvrement_credit.action_report_formal_notice", 30),
    "letter-statement": ("recouvrement_credit.action_report_statement_of_account", None),
}
# Sample invoices: (amount, days late on today) — one per aged-balance bucket.
INVOICES = [(1250.0, -10), (1000.0, 12), (480.0, 40), (2300.0, 75), (760.0, 120)]
DPI = 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_odoo(config_file, database):
    import odoo

    odoo.tools.config.parse_config(["-c", config_file, "-d", database, "--log-level=error"])
    odoo.tools.config["http_port"] = free_port()
    odoo.tools.config["http_interface"] = "127.0.0.1"
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    return odoo.modules.registry.Registry(database), odoo.tools.config["http_port"]


def ensure_accounting(env):
    """The company of the database, with a chart of accounts, an address and a bank account
    (in euros when it has no entry yet)."""
    company = env.company
    if not env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1):
        env["account.chart.template"].try_loading(
            env["account.chart.template"]._guess_chart_template(company.country_id),
            company,
            install_demo=False,
        )
    euro = env.ref("base.EUR")
    if company.currency_id != euro and not env["account.move.line"].search_count(
        [("company_id", "=", company.id)], limit=1
    ):
        euro.active = True
        company.currency_id = euro  # a French sample; only possible before the first entry
    if not company.city:
        company.partner_id.write(
            {
                "street": "12 rue des Artisans",
                "zip": "69002",
                "city": "Lyon",
                "country_id": env.ref("base.fr").id,
            }
        )
    if not company.partner_id.bank_ids:
        env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id}
        )
    return company


def build_sample(env, today):
    """A French customer with invoices at known ages, and one reminder per sample letter."""
    import odoo

    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(["base", "web", "account", "recouvrement_credit"], ["fr_FR"])
    company = ensure_accounting(env)
    customer = env["res.partner"].create(
        {
            "name": "Boulangerie du Marché",
            "is_company": True,
            "lang": "fr_FR",
            "ref": "CLI-0042",
            "street": "1 rue du Four",
            "zip": "75001",
            "city": "Paris",
            "country_id": env.ref("base.fr").id,
            "email": "factures@boulangerie.example.com",
        }
    )
    invoices = env["account.move"]
    for amount, days_late in INVOICES:
        due = today - timedelta(days=days_late)
        invoices |= env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": min(due - timedelta(days=30), today),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    odoo.Command.create({"name": "Fournitures", "price_unit": amount, "tax_ids": []})
                ],
            }
        )
    invoices.action_post()
    overdue = invoices.line_ids.filtered(
        lambda aml: aml.account_id.account_type == "asset_receivable" and aml.date_maturity < today
    )
    scenario = env.ref("recouvrement_credit.dunning_scenario_standard")
    levels = {level.day_offset: level for level in scenario.level_ids}
    reminders = {}
    for name, (_report, offset) in LETTERS.items():
        if offset is None:
            continue
        reminders[name] = env["recouvrement.dunning.communication"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "scenario_id": scenario.id,
                "level_id": levels[offset].id,
                "date": today,
                "state": "to_review",
                "amount_due": sum(overdue.mapped("amount_residual")),
                "line_ids": [
                    odoo.Command.create(
                        {
                            "move_line_id": item.id,
                            "move_id": item.move_id.id,
                            "date_maturity": item.date_maturity,
                            "days_late": (today - item.date_maturity).days,
                            "amount_residual": item.amount_residual,
                            "level_id": levels[offset].id,
                        }
                    )
                    for item in overdue
                ],
            }
        )
    return customer, reminders


def to_png(pdf, html, base_url, png_path, workdir):
    """The first page of the letter as PNG: pdftoppm on the PDF, else wkhtmltoimage on its HTML."""
    stem = os.path.join(workdir, "page")
    if shutil.which("pdftoppm"):
        with open(f"{stem}.pdf", "wb") as file:
            file.write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-singlefile", f"{stem}.pdf", stem], check=True)
        shutil.move(f"{stem}.png", png_path)
        return
    html = html.replace("<head>", f'<head><base href="{base_url}/"/>', 1)
    with open(f"{stem}.html", "w", encoding="utf-8") as file:
        file.write(html)
    # Laid out 794 px wide (A4 at 96 dpi), as wkhtmltopdf does, then scaled down to DPI with Pillow
    # (an Odoo requirement): wkhtmltoimage's own zoom changes the layout.
    subprocess.run(
        ["wkhtmltoimage", "--quiet", "--format", "png", "--width", "794", "--height", "1123",
         f"{stem}.html", f"{stem}.png"],
        check=True,
    )  # fmt: skip
    with Image.open(f"{stem}.png") as page:
        size = (round(8.27 * DPI), round(11.69 * DPI))
        page.convert("RGB").resize(size, Image.LANCZOS).save(png_path, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--out", default="docs/img", help="folder of the PNG files (default: docs/img)")
    args = parser.parse_args()
    if not shutil.which("wkhtmltopdf"):
        sys.exit("wkhtmltopdf is needed to render the letters.")
    if not shutil.which("pdftoppm") and not shutil.which("wkhtmltoimage"):
        sys.exit("pdftoppm (poppler-utils) or wkhtmltoimage is needed to make the PNG files.")

    import odoo

    registry, port = start_odoo(args.config, args.database)
    base_url = f"http://127.0.0.1:{port}"
    os.makedirs(args.out, exist_ok=True)
    with registry.cursor() as cr, tempfile.TemporaryDirectory() as workdir:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
            # The admin's company: the demo company in the demo database, the main one otherwise.
            company = env.ref("base.user_admin").company_id
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            env["ir.config_parameter"].set_param("report.url", base_url)
            customer, reminders = build_sample(env, date.today())
            reports = env["ir.actions.report"]
            for name, (report, _offset) in LETTERS.items():
                record = reminders.get(name, customer)
                pdf, _type = reports._render_qweb_pdf(report, record.ids)
                if not pdf.startswith(b"%PDF"):
                    sys.exit(f"{name}: the report did not render to a PDF.")
                html = reports._render_qweb_html(report, record.ids)[0].decode()
                png_path = os.path.join(args.out, f"{name}.png")
                to_png(pdf, html, base_url, png_path, workdir)
                print(f"{png_path} ({len(pdf)} bytes of PDF)")
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
