"""Letters benchmark: sending reminder letters (QWeb, PDF through wkhtmltopdf, attachment), one
letter per wkhtmltopdf call (what sending did before) against the batches of
``ir.actions.report._render_qweb_pdf_by_record`` (several letters a call, calls side by side), in
the same run, on the same reminders. Run by bench_letters.sh (`make bench-letters`); see README.md
beside this file.

    python3 tests/benchmarks/bench_letters.py -c ODOO_RC -d DB --report-url http://127.0.0.1:PORT

The database must have recouvrement_credit installed, without demo data, and an Odoo server of the
same database must answer at --report-url (wkhtmltopdf loads the report's assets from it, as it does
from a running Odoo). The script builds, once per database, customers with a postal address (half
of them French-speaking), one overdue invoice each, and a released reminder at the "reminder letter"
level with a letter channel; then it sends them with ``recouvrement.dunning.dispatch._send``, each
way in its own transaction rolled back afterwards.
"""

import argparse
import os
import resource
import time
from datetime import date, timedelta
from unittest.mock import patch

import psutil
from benchlib import built_marker, open_registry, require_modules, set_marker

import odoo
from odoo import Command

MARKER = "recouvrement.bench.letters"  # ir.config_parameter: the sizes of the data built here
TARGET = 3.0  # letters per second, from the scale issue


def build_reminders(env, count):
    """COUNT customers, each with an overdue invoice and a released reminder whose letter channel is
    queued."""
    company = env.company
    company.partner_id.write({"street": "2 quai du Rhône", "zip": "69002", "city": "Lyon"})
    env["res.lang"]._activate_lang("fr_FR")
    france = env.ref("base.fr")
    customers = env["res.partner"].create(
        [
            {
                "name": f"Client courrier {index:05d}",
                "is_company": True,
                "ref": f"LTR{index:05d}",
                "street": f"{index} rue du Port",
                "zip": "13002",
                "city": "Marseille",
                "country_id": france.id,
                "lang": "fr_FR" if index % 2 else "en_US",
            }
            for index in range(count)
        ]
    )
    product = env["product.product"].create({"name": "Benchmark letters"})
    today = date.today()
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=50),
                "invoice_date_due": today - timedelta(days=20),
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "price_unit": 100.0 + index, "tax_ids": []})
                ],
            }
            for index, customer in enumerate(customers)
        ]
    )
    invoices.action_post()
    level = env.ref("recouvrement_credit.dunning_scenario_standard").level_ids.filtered(
        lambda level: level.channel_letter
    )[:1]
    communications = env["recouvrement.dunning.communication"].create(
        [
            {
                "partner_id": invoice.partner_id.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "scenario_id": level.scenario_id.id,
                "level_id": level.id,
                "date": today,
                "state": "to_review",
                "amount_due": invoice.amount_residual,
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": item.id,
                            "move_id": invoice.id,
                            "date_maturity": item.date_maturity,
                            "days_late": (today - item.date_maturity).days,
                            "amount_residual": item.amount_residual,
                            "level_id": level.id,
                        }
                    )
                    for item in invoice.line_ids.filtered(
                        lambda line: line.account_id.account_type == "asset_receivable"
                    )
                ],
            }
            for invoice in invoices
        ]
    )
    env["recouvrement.dunning.dispatch"].create(
        [{"communication_id": communication.id, "channel": "letter"} for communication in communications]
    )
    communications.action_approve()
    return communications


def cpu_seconds(server):
    """CPU seconds used so far by this process, its finished children (wkhtmltopdf) and SERVER."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    times = server.cpu_times() if server else None
    served = times.user + times.system if times else 0.0
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + served


def send_letters(env, dispatches, server, way):
    """Send DISPATCHES' letters (rolled back afterwards) the WAY given, "alone" (one letter per
    wkhtmltopdf call, what sending did before the batches) or "SIZExWORKERS" (SIZE letters per call,
    WORKERS calls at once): (letters sent, seconds, CPU seconds)."""
    reports = type(env["ir.actions.report"])
    if way == "alone":
        printing = patch.object(
            reports, "_render_qweb_pdfs_by_record", lambda _reports, prints: [{} for _p in prints]
        )
    else:
        size, workers = (int(number) for number in way.split("x"))
        printing = patch.multiple(reports, _pdf_batch_size=size, _pdf_batch_workers=workers)
    env.invalidate_all()
    started, cpu = time.perf_counter(), cpu_seconds(server)
    with printing:
        dispatches._send()
        env.flush_all()
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(server) - cpu
    dispatches.invalidate_recordset()
    sent = dispatches.filtered(lambda dispatch: dispatch.state == "sent" and dispatch.attachment_id)
    pdfs = sum(1 for dispatch in sent if dispatch.attachment_id.raw.startswith(b"%PDF"))
    env.cr.rollback()
    if pdfs != len(dispatches):
        raise SystemExit(f"CROSS-CHECK FAILED: {pdfs} PDF letters for {len(dispatches)} reminders")
    return len(sent), elapsed, cpu


def label(way):
    if way == "alone":
        return "one letter per wkhtmltopdf call (before)"
    size, workers = way.split("x")
    return f"{size} letters per call, {workers} call(s) at once"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--report-url", required=True, help="address of the Odoo server wkhtmltopdf reads")
    parser.add_argument("--server-pid", type=int, help="that server's process, to count its CPU time")
    parser.add_argument("--letters", type=int, default=200, help="reminders built (default 200)")
    parser.add_argument("--batched", type=int, default=200, help="letters sent in batches (default 200)")
    parser.add_argument("--alone", type=int, default=20, help="letters sent one by one (default 20)")
    parser.add_argument(
        "--ways",
        default="20x2",
        help="batches to time, SIZExWORKERS separated by commas (default 20x2, the addon's setting); "
        "the first is the one the target applies to",
    )
    parser.add_argument("--reps", type=int, default=1, help="runs of each way (default 1)")
    args = parser.parse_args()
    ways = ["alone", *args.ways.split(",")]
    server = psutil.Process(args.server_pid) if args.server_pid else None
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_credit",))
        env["ir.config_parameter"].set_param("report.url", args.report_url)
        sizes = {"letters": args.letters}
        if not built_marker(env, MARKER, sizes):
            started = time.perf_counter()
            build_reminders(env, args.letters)
            set_marker(env, MARKER, {"sizes": sizes})
            print(f"  data built in {time.perf_counter() - started:.1f} s")
        cr.commit()
        dispatches = env["recouvrement.dunning.dispatch"].search(
            [("channel", "=", "letter"), ("state", "=", "queued")], order="id"
        )
        print(f"Data: {len(dispatches)} queued reminder letters (half in French); {os.cpu_count()} cores")
        results = {way: [] for way in ways}
        for rep in range(args.reps):
            for way in ways:
                count = args.alone if way == "alone" else args.batched
                load = os.getloadavg()[0]
                sent, elapsed, cpu = send_letters(env, dispatches[:count], server, way)
                results[way].append((sent / elapsed, cpu / sent, load))
                print(
                    f"  run {rep + 1} {way:<6} {sent:>5} letters {elapsed:7.1f} s {sent / elapsed:6.2f}/s "
                    f"CPU {cpu / sent:.3f} s/letter (load average {load:.2f} before)",
                    flush=True,
                )
    print()
    print(f"{'way (end to end: QWeb, PDF, attachment, state)':<50} {'letters/s':>10} {'CPU s/letter':>13}")
    medians = {}
    for way in ways:
        rates = sorted(rate for rate, _cpu, _load in results[way])
        cpus = sorted(cpu for _rate, cpu, _load in results[way])
        medians[way] = rates[len(rates) // 2]
        print(f"{label(way):<50} {medians[way]:>10.2f} {cpus[len(cpus) // 2]:>13.3f}")
    print(f"(median of {args.reps} run(s); load average at the end {os.getloadavg()})")
    ours = ways[1]
    verdict = "PASS" if medians[ours] >= TARGET else "FAIL"
    ratio = medians[ours] / medians["alone"]
    print(f"{ours} / one by one = {ratio:.1f}x; target >= {TARGET:g} letters/s: {verdict}")


if __name__ == "__main__":
    main()
