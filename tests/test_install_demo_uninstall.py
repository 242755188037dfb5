"""The demo database builds through the README's demo command, tells its story, and the three
addons then uninstall cleanly. (Installing without demo data is the test command's own database.)
"""

import json
import os
import subprocess
import sys

import check_odoo_log
import pytest

DB = "recouvrement_demo_check"

INSPECT_AND_UNINSTALL = r"""
import json
company = env.ref("recouvrement_demo.company_lefevre")
invoices = env["account.move"].search([("company_id", "=", company.id), ("move_type", "=", "out_invoice")])
# The demo's own "today": the day of its last daily run (the day it was built). Not the clock: on a
# busy machine the build may end on one side of midnight and this inspection start on the other.
today = max(env["recouvrement.dunning.run"].search([("company_id", "=", company.id)]).mapped("date"))
unpaid = invoices.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
overdue = unpaid.filtered(lambda m: m.invoice_date_due < today)
lambert = env.ref("recouvrement_demo.partner_menuiserie_lambert").with_company(company)
reminders = env["recouvrement.dunning.communication"].search([("company_id", "=", company.id)])
facts = {
    "chart": company.chart_template,
    "currency": company.currency_id.name,
    "customers": len(invoices.partner_id),
    "posted": all(m.state == "posted" for m in invoices),
    "overdue_days": sorted({(today - m.invoice_date_due).days for m in overdue}),
    "paid": len(invoices.filtered(lambda m: m.payment_state in ("paid", "in_payment"))),
    "partial": len(invoices.filtered(lambda m: m.payment_state == "partial")),
    "lambert_over_limit": lambert.credit + lambert.credit_to_invoice > lambert.credit_limit,
    "admin_lang": env.ref("base.user_admin").lang,
    "credit_statuses": sorted(
        set(env["recouvrement.credit.position"].search([("company_id", "=", company.id)]).mapped("status"))
    ),
    "dubois_quotation": env.ref("recouvrement_demo.sale_order_dubois").state,
    "dunning_levels": sorted(set(reminders.mapped("level"))),
    "reminder_states": sorted(set(reminders.mapped("state"))),
    "commitments": [
        env[model].search_count([("company_id", "=", company.id)])
        for model in ("recouvrement.dispute", "recouvrement.promise", "recouvrement.payment.plan")
    ],
    "logo": bool(company.logo) and not company.uses_default_logo,
    "letterhead": [bool(company[f]) for f in ("street", "zip", "city", "vat", "company_registry", "phone",
                                              "email", "website", "report_footer")],
    "siret": company.partner_id.siret if "siret" in company.partner_id._fields else None,
    "company_lang": company.partner_id.lang,
    "iban": [(b.acc_type, b.bank_bic) for b in company.partner_id.bank_ids],
    "bank_journal": bool(env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank"), ("bank_account_id", "!=", False)])),
    "invoices_to_pdf": len(invoices.filtered("sending_data")),
    "invoices_not_sent": len(invoices.filtered(lambda m: m.state == "posted" and not m.is_move_sent)),
    "collectors": {
        user.login: [
            env["res.partner"].with_company(company).search_count([("dunning_collector_id", "=", user.id)]),
            env["recouvrement.dunning.communication"].search_count([("user_id", "=", user.id)]),
            user.has_group("recouvrement_credit.group_user"),
        ]
        for user in env["res.users"].search([("login", "in", ("sophie", "karim"))])
    },
    "dashboard": {
        model: env[model].with_company(company).read_group([("company_id", "=", company.id)], fields, [])[0]
        for model, fields in (
            ("recouvrement.receivable.aging", ["residual:sum", "residual_overdue:sum"]),
            ("recouvrement.dunning.funnel", ["reminders:sum", "reached:sum"]),
        )
    },
    "dso_months": env["recouvrement.collections.month"].with_company(company).search_count(
        [("company_id", "=", company.id), ("dso", ">", 0)]),
    "kpi_months": [
        [round(values["dso_countback"]), round(values["cei"]), round(values["overdue_share"])]
        for values in env["recouvrement.collections.kpi"].with_company(company).create(
            {"company_id": company.id, "date_to": today})._get_monthly_values()
    ],
    "sent_notes": sorted({
        "fr" if " envoyée (" in m.body else "en" for m in env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "in", invoices.ids), ("body", "ilike", "REL/")])
        if " envoyée (" in m.body or " sent (" in m.body
    }),
}
# The portal: each demo login opens its customer's story; the demo payment provider; the link of
# the reminder email re-sent to Camping Les Pins opens its statement without a login.
from odoo.exceptions import AccessDenied
def portal_login(login):
    user = env["res.users"].search([("login", "=", login)])
    try:
        user.with_user(user)._check_credentials({"type": "password", "login": login, "password": login},
                                                {"interactive": False})
    except AccessDenied:
        return None
    customer = user.partner_id.commercial_partner_id
    open_items = env["account.move.line"].search(
        [*env["account.move.line"]._get_open_receivable_domain(), ("partner_id", "child_of", customer.id),
         ("company_id", "=", company.id), ("amount_residual", ">", 0)])
    plans = env["recouvrement.payment.plan"].search([("partner_id", "=", customer.id)])
    return {
        "portal": user.has_group("base.group_portal") and not user.has_group("base.group_user"),
        "company": user.company_id == company,
        "overdue": len(open_items.filtered(lambda line: line.date_maturity < today)),
        "disputes": env["recouvrement.dispute"].search_count([("partner_id", "=", customer.id)]),
        "plans": sorted(plans.mapped("state")),
        "requests": sorted(plans.filtered("request_state").mapped("request_state")),
    }
facts["portal_logins"] = {login: portal_login(login)
                          for login in ("martin", "girard", "clinique", "fontaine", "rousseau")}
provider = env["payment.provider"].search([("code", "=", "demo"), ("company_id", "=", company.id)])
facts["payment_provider"] = [(p.state, p.is_published, bool(p.journal_id)) for p in provider]
camping = env.ref("recouvrement_demo.partner_camping_les_pins")
import re
link_messages = env["mail.message"].search([("model", "=", "recouvrement.dunning.communication"),
                                            ("body", "ilike", "/collections/")], order="id desc")
urls = [re.search(r'href="([^"]+/collections/[^"]+)"', m.body).group(1) for m in link_messages
        if m.partner_ids.commercial_partner_id == camping]
link = env["recouvrement.portal.link"]._resolve(urls[0].rsplit("/", 1)[1]) if urls else None
facts["camping_link"] = {
    "base": bool(urls) and urls[0].startswith(company.get_base_url() + "/collections/"),
    "valid": bool(link) and (link.partner_id, link.company_id) == (camping, company),
    "emailed": bool(env["mail.mail"].search_count([("body_html", "ilike", urls[0])])) if urls else False,
}
dubois, vidal, caron = (
    env.ref(f"recouvrement_demo.legal_case_{key}") for key in ("dubois", "vidal", "caron"))
opposition = dubois.deadline_ids.filtered(
    lambda d: d.rule_id == env.ref("recouvrement_legal.legal_procedure_injunction_rule_opposition"))
declaration = vidal.deadline_ids.filtered(
    lambda d: d.rule_id == env.ref("recouvrement_legal.legal_procedure_insolvency_rule_declaration"))
facts["legal"] = {
    "dubois": [dubois.state, opposition.state,
               bool(opposition.date_deadline and opposition.date_deadline > today)],
    "vidal": [
        vidal.state,
        vidal.partner_id.recouvrement_insolvency,
        vidal.partner_id.legal_insolvency_judgment_date < vidal.partner_id.legal_insolvency_publication_date,
        declaration.date_start == vidal.partner_id.legal_insolvency_publication_date,
        declaration.state,
        (declaration.date_deadline - declaration.date_start).days,
        bool(vidal.party_ids.filtered(lambda p: p.role == "mandataire")),
    ],
    "caron": [caron.state, caron.close_reason, caron.amount_written_off,
              caron.amount_recovered_after_writeoff,
              "272" in (caron.writeoff_mention or ""), "CGI" in (caron.writeoff_mention or "")],
    "caron_accounts": sorted({line.account_id.with_company(company).code
                              for line in caron.accounting_move_ids.line_ids}),
    "caron_entries": [(m.state, round(sum(m.line_ids.mapped("balance")), 2))
                      for m in caron.accounting_move_ids],
}
print("FACTS " + json.dumps(facts))
addons = ("recouvrement_credit", "recouvrement_portal", "recouvrement_legal", "recouvrement_credit_stock",
          "recouvrement_credit_dashboard", "recouvrement_legal_portal")
# Force the order of foreign-key actions that made one uninstallation in two fail: the constraints
# to the levels recreated now, the reminders' one last, act in that order (trigger names sort by id).
for table in ("recouvrement_dunning_communication_line", "recouvrement_dunning_communication"):
    env.cr.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                   " WHERE conrelid = %s::regclass AND confrelid = 'recouvrement_dunning_level'::regclass",
                   [table])
    for name, definition in env.cr.fetchall():
        env.cr.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" {definition}')
env.cr.commit()
env["ir.module.module"].search([("name", "in", addons)]).button_immediate_uninstall()
env.cr.execute("SELECT count(*) FROM ir_model_data WHERE module IN %s", [addons])
left = env.cr.fetchone()[0]
env.cr.execute("SELECT count(*) FROM ir_ui_menu WHERE name->>'en_US' = 'Collections'")
menus = env.cr.fetchone()[0]
states = sorted(set(env["ir.module.module"].search([("name", "in", addons)]).mapped("state")))
env.cr.execute("SELECT count(*) FROM ir_model_data d JOIN res_partner p ON p.id = d.res_id"
               " WHERE d.module = 'recouvrement_demo' AND d.model = 'res.partner'")
customers = env.cr.fetchone()[0]
print("LEFT " + json.dumps({"xmlids": left, "menus": menus, "states": states, "customers_kept": customers}))
"""


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def demo_database(repo, odoo_rc, demo_dir):
    env = dict(os.environ, PYTHON=sys.executable, RECOUVREMENT_DEMO_DIR=str(demo_dir))
    subprocess.run(
        ["bash", "scripts/demo.sh", "--create-only", "--reset", "--database", DB],
        cwd=repo,
        env=env,
        check=True,
        timeout=3600,  # a guard against a hung build, far above its duration on a loaded machine
    )
    yield DB
    subprocess.run(["dropdb", "--if-exists", "--force", DB], env=env, check=False, timeout=120)


def test_demo_runs_its_scheduled_jobs(repo):
    """The demo server starts a cron thread (the test configuration keeps none): queued reminders
    go out, invoice PDFs are generated."""
    with open(os.path.join(repo, "scripts", "demo.sh"), encoding="utf-8") as script:
        server = [line for line in script if line.startswith('odoo -c "$RC" -d "$DB" --db-filter')]
    assert len(server) == 1 and "--max-cron-threads=1" in server[0]


def test_demo_installs_without_errors_or_warnings(demo_dir, demo_database):
    with open(demo_dir / f"{demo_database}-install.log", encoding="utf-8") as log:
        records = [check_odoo_log.LINE.match(line) for line in log]
    assert [r.group(0) for r in records if r and r["level"] in ("WARNING", "ERROR", "CRITICAL")] == []


def test_demo_tells_the_story_and_addons_uninstall(repo, odoo_rc, demo_database):
    shell = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "-c",
            odoo_rc,
            "-d",
            demo_database,
            "--no-http",
            "--log-level=warn",
        ],
        input=INSPECT_AND_UNINSTALL,
        check=False,
        capture_output=True,
        text=True,
        timeout=1800,  # a guard against a hung shell, far above its duration on a loaded machine
        cwd=repo,
    )
    lines = {
        line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in shell.stdout.splitlines() if " " in line
    }
    assert "FACTS" in lines and "LEFT" in lines, shell.stdout + shell.stderr
    facts, left = json.loads(lines["FACTS"]), json.loads(lines["LEFT"])

    assert facts["chart"] == "fr" and facts["currency"] == "EUR"
    assert facts["customers"] >= 20 and facts["posted"]
    assert {3, 10, 20, 35, 50, 120} <= set(facts["overdue_days"])  # one customer per dunning stage
    assert facts["paid"] >= 4 and facts["partial"] >= 1
    assert facts["lambert_over_limit"]
    assert facts["admin_lang"] == "fr_FR"
    assert facts["credit_statuses"] == ["blocked", "ok", "warning"]  # customers at each credit status
    assert facts["dubois_quotation"] == "draft"  # held by the credit rules
    assert facts["dunning_levels"] == [0, 1, 2, 3, 4, 5]  # customers at every dunning level
    assert {"sent", "queued", "to_review"} <= set(facts["reminder_states"])
    assert all(facts["commitments"])  # a dispute, a promise to pay, a payment plan
    assert facts["logo"] and all(facts["letterhead"])  # letters and portal print the company, not "Your logo"
    assert facts["siret"] == "81234567600025" and facts["company_lang"] == "fr_FR"
    assert facts["iban"] == [["iban", "BNPAFRPPXXX"]] and facts["bank_journal"]
    assert facts["invoices_not_sent"] == 0  # sent, as real invoices are: not "pro forma"
    assert facts["invoices_to_pdf"] >= 20  # their PDF is generated by the server's sending job
    assert set(facts["collectors"]) == {"sophie", "karim"}
    for customers, reminders, is_collector in facts["collectors"].values():
        assert customers >= 8 and reminders >= 5 and is_collector
    assert facts["sent_notes"] == ["fr"]  # the jobs' notes in the company's language
    # The Collections dashboard and the KPIs have figures: amounts due and overdue, reminders, a DSO
    # in every month of the trend (a year of paid invoices), countback DSO and CEI in every month.
    aging = facts["dashboard"]["recouvrement.receivable.aging"]
    funnel = facts["dashboard"]["recouvrement.dunning.funnel"]
    assert aging["residual"] > aging["residual_overdue"] > 0
    assert funnel["reminders"] > 0 and funnel["reached"] > 0
    assert facts["dso_months"] >= 11
    assert len(facts["kpi_months"]) == 12
    # (nothing is collected in the first month: its invoices fall due the month after)
    assert all(dso > 0 for dso, _cei, _overdue in facts["kpi_months"])
    assert all(cei > 0 for _dso, cei, _overdue in facts["kpi_months"][1:])
    assert facts["kpi_months"][-1][2] > 0  # overdue share this month

    logins = facts["portal_logins"]
    assert all(login and login["portal"] and login["company"] for login in logins.values()), logins
    assert logins["martin"]["overdue"] == 0  # a good payer
    assert logins["girard"]["overdue"] == 2  # two overdue invoices to pay
    assert logins["clinique"]["disputes"] >= 1
    assert "active" in logins["fontaine"]["plans"]
    assert logins["rousseau"]["requests"] == ["pending"]  # a request for a collector to approve
    assert facts["payment_provider"] == [["test", True, True]]  # customers pay with the demo provider
    assert facts["camping_link"] == {"base": True, "valid": True, "emailed": True}

    legal = facts["legal"]
    assert legal["dubois"] == ["open", "pending", True]  # injonction served, opposition window running
    # In redressement judiciaire: judgment, BODACC publication, the 2-month claim declaration pending.
    assert legal["vidal"][:5] == ["open", True, True, True, "pending"] and 59 <= legal["vidal"][5] <= 62
    assert legal["vidal"][6]  # the mandataire judiciaire
    # Written off with the art. 272 CGI wording, then a partial recovery after write-off as income.
    assert legal["caron"] == ["closed", "written_off", 3840.0, 960.0, True, True]
    entries_accounts = set(legal["caron_accounts"])
    assert {"411100", "416100", "491000", "681740", "781740", "445710", "771400"} <= entries_accounts
    assert {"654100", "654400"} & entries_accounts  # current or prior year, by the invoice date
    assert legal["caron_entries"] and all(entry == ["posted", 0.0] for entry in legal["caron_entries"])

    assert (left["xmlids"], left["menus"], left["states"]) == (0, 0, ["uninstalled"])
    assert left["customers_kept"] >= 20  # the demo company's data is the user's: it stays
    assert "ERROR" not in shell.stderr, shell.stderr
