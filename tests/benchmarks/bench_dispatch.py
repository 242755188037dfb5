"""Sending benchmark: every reminder queued by our dunning run on the 100,000-item ledger sent
through the real scheduled method (``recouvrement.dunning.dispatch._cron_send``, committed batches)
until the queue is empty: emails to a local SMTP sink, SMS through a test provider, letters rendered
to PDF. Against OCA account_credit_control sending its email communications in the same run. Run
by bench_dispatch.sh (`make bench-dispatch`); see README.md beside this file.

    python3 tests/benchmarks/bench_dispatch.py -c ODOO_RC -d DB --sink-python-path DIR

The database must have recouvrement_credit and account_credit_control installed, without demo
data; the ledger is the dunning benchmark's (``bench_dunning.build_data``), built once and kept.
Each side then works on its own copy of that database (``CREATE DATABASE … TEMPLATE``), dropped at
the end unless --keep: the run and the sending change the data.
"""

import argparse
import cProfile
import json
import logging
import os
import pstats
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import psycopg2.errors
from bench_dunning import build_data
from benchlib import build_and_check, ledger_argument_parser, open_registry, require_modules

import odoo
from odoo import Command
from odoo.service import db as db_service
from odoo.tools import SQL

HERE = Path(__file__).resolve().parent
REFUSED = "refused-by-sink"  # the sink refuses every recipient whose address contains this
REFERENCE = re.compile(r"REL/\d{4}/\d+")  # a reminder's number, in the subject of its email
TARGETS = {"email": 50.0, "letter": 3.0}  # reminders per second, from the issue
TARGET_RATIO = 3.0  # ours at least 3 times as fast as OCA's email sending


# ----------------------------------------------------------------------
# The SMTP sink and the test SMS provider
# ----------------------------------------------------------------------


class SmtpSink:
    """smtp_sink.py in its own process; what it received read back from its log."""

    def __init__(self, python_path, folder):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = Path(folder) / f"smtp-sink-{self.port}.jsonl"
        self.log.write_text("")
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join(filter(None, [python_path, os.environ.get("PYTHONPATH")]))
        )
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "smtp_sink.py"), str(self.port), str(self.log), REFUSED],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        print(f"  {self.process.stdout.readline().strip()}")

    def received(self):
        with self.log.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]

    def mark(self):
        """Position in the log: what is received from now on belongs to the next phase."""
        return len(self.received())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.unlink(missing_ok=True)


class TestSmsProvider:
    """Replaces the IAP call of the ``sms`` module in this process only: every SMS is accepted
    (state ``success``) and its number counted. Nothing leaves the machine."""

    def __init__(self):
        self.numbers = Counter()
        self.calls = 0
        self._original = None

    def __enter__(self):
        from odoo.addons.sms.tools.sms_api import SmsApi

        provider = self
        self._original = SmsApi._contact_iap

        def contact_iap(api, local_endpoint, params, timeout=15):
            if local_endpoint != "/api/sms/3/send":
                raise RuntimeError(f"unexpected IAP call in the benchmark: {local_endpoint}")
            provider.calls += 1
            results = []
            for message in params["messages"]:
                for number in message["numbers"]:
                    provider.numbers[number["number"]] += 1
                    results.append({"uuid": number["uuid"], "state": "success", "credit": 1})
            return results

        SmsApi._contact_iap = contact_iap
        return self

    def __exit__(self, *exc):
        from odoo.addons.sms.tools.sms_api import SmsApi

        SmsApi._contact_iap = self._original


def use_sink(env, sink):
    """The database's only outgoing mail server: the sink (no encryption, no login)."""
    env["ir.mail_server"].search([]).active = False
    env["ir.mail_server"].create(
        {
            "name": "Benchmark SMTP sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": sink.port,
            "smtp_encryption": "none",
        }
    )


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def work_done():
    """(CPU seconds of this process, SQL queries of this thread): less noisy than elapsed time on a
    shared machine, to compare two versions of the code."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, getattr(threading.current_thread(), "query_count", 0)


# ----------------------------------------------------------------------
# Databases: one copy of the built ledger per side
# ----------------------------------------------------------------------


def database_exists(name):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def copy_database(source, target):
    """TARGET, a fresh copy of SOURCE (its filestore too), replacing a previous one."""
    odoo.modules.registry.Registry.delete(source)
    odoo.sql_db.close_db(source)
    drop_database(target)
    db_service.exp_duplicate_database(source, target)


def drop_database(name):
    """Drop NAME and its filestore, if it exists (``exp_drop`` only sees the databases of -d)."""
    if not database_exists(name):
        return
    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cr.execute(SQL("DROP DATABASE %s", SQL.identifier(name)))
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


# ----------------------------------------------------------------------
# Ours: run, then the sending job until the queue is empty
# ----------------------------------------------------------------------


def setup_ours(env, company, args):
    """Customers of the ledger split into the channels measured: most keep the standard scenario
    (its first levels are emails); --sms customers get a mobile number and a scenario whose level
    sends an email and an SMS; --letters customers a scenario whose level is a letter; --refused
    customers an address the sink refuses. Contact hours all day: nothing waits for the morning."""
    company.write(
        {
            "email": "relances@bench.example.com",
            "dunning_scenario_id": company.dunning_scenario_id.id
            or env.ref("recouvrement_credit.dunning_scenario_standard").id,
            "dunning_contact_hour_from": 0.0,
            "dunning_contact_hour_to": 24.0,
            "dunning_quiet_sunday": False,
        }
    )
    customers = env["res.partner"].search([("name", "=like", "Bench customer %")], order="id")
    standard = company.dunning_scenario_id
    reminder = env.ref("recouvrement_credit.mail_template_dunning_reminder")
    Scenario = env["recouvrement.dunning.scenario"]
    level = {"name": "Bench", "day_offset": 1, "sequence": 1}
    sms_scenario = Scenario.create(
        {
            "name": "Bench: email and SMS",
            "level_ids": [
                Command.create(
                    dict(
                        level,
                        channel_email=True,
                        mail_template_id=reminder.id,
                        channel_sms=True,
                        sms_template_id=env.ref("recouvrement_credit.sms_template_dunning_reminder").id,
                    )
                )
            ],
        }
    )
    letter_level = standard.level_ids.filtered("channel_letter")[:1]
    letter_scenario = Scenario.create(
        {
            "name": "Bench: letter",
            "level_ids": [
                Command.create(
                    dict(
                        level,
                        channel_letter=True,
                        letter_report_id=letter_level.letter_report_id.id,
                        fallback_channel="none",
                    )
                )
            ],
        }
    )
    groups = {
        "refused": customers[: args.refused],
        "sms": customers[len(customers) - args.sms - args.letters : len(customers) - args.letters],
        "letter": customers[len(customers) - args.letters :] if args.letters else customers.browse(),
    }
    for number, customer in enumerate(groups["refused"]):
        customer.email = f"{REFUSED}-{number:05d}@example.com"
    for number, customer in enumerate(groups["sms"]):
        customer.mobile = f"+33 6 00 {number // 10000:02d} {number // 100 % 100:02d} {number % 100:02d}"
    groups["sms"].with_company(company).dunning_scenario_id = sms_scenario
    for customer in groups["letter"]:
        customer.write({"street": f"{customer.id} rue du Banc", "zip": "75001", "city": "Paris"})
    groups["letter"].with_company(company).dunning_scenario_id = letter_scenario
    env.flush_all()
    return {name: len(partners) for name, partners in groups.items()}


def ours_run(env, company, run_date):
    started = time.perf_counter()
    run = env["recouvrement.dunning.run"]._get_or_create(company, run_date)
    run._generate()
    env.cr.commit()
    return run, time.perf_counter() - started


def channel_phases(cr, run_id):
    """The run's queued reminders by phase: those with a letter, else with an SMS, else emails
    only. Each phase is sent alone, so that its rate is its own."""
    cr.execute(
        """
        SELECT c.id, ARRAY_AGG(DISTINCT d.channel)
          FROM recouvrement_dunning_communication c
          JOIN recouvrement_dunning_dispatch d ON d.communication_id = c.id
         WHERE c.run_id = %s AND c.state = 'queued' AND d.state = 'queued'
      GROUP BY c.id
        """,
        [run_id],
    )
    phases = {"email": [], "sms": [], "letter": [], "other": []}
    for communication_id, channels in cr.fetchall():
        if "letter" in channels or "registered_letter" in channels:
            phases["letter"].append(communication_id)
        elif "sms" in channels:
            phases["sms"].append(communication_id)
        elif set(channels) == {"email"}:
            phases["email"].append(communication_id)
        else:
            phases["other"].append(communication_id)
    return phases


def hold(cr, communication_ids, state):
    """Put reminders out of the queue (to_review) or back into it (queued), committed."""
    cr.execute(
        "UPDATE recouvrement_dunning_communication SET state = %s WHERE id = ANY(%s)",
        [state, communication_ids],
    )
    cr.commit()


def queued_count(cr, communication_ids):
    cr.execute(
        "SELECT COUNT(*) FROM recouvrement_dunning_dispatch"
        " WHERE state = 'queued' AND communication_id = ANY(%s)",
        [communication_ids],
    )
    return cr.fetchone()[0]


def drain(env, communication_ids, batch_size, profile=None):
    """Call the sending job, one committed transaction per call, until none of COMMUNICATION_IDS has
    a queued channel left (the mails go out when each call commits: Odoo sends them after the
    commit). Return (seconds, calls, channels left queued)."""
    Dispatch = env["recouvrement.dunning.dispatch"]
    started = time.perf_counter()
    calls = 0
    left = queued_count(env.cr, communication_ids)
    while left:
        if profile:
            profile.enable()
        Dispatch._cron_send(batch_size=batch_size)
        env.cr.commit()
        if profile:
            profile.disable()
        env.invalidate_all()
        calls += 1
        now_left = queued_count(env.cr, communication_ids)
        if now_left == left:
            break  # nothing could be sent (e.g. outside contact hours): reported as left queued
        left = now_left
    return time.perf_counter() - started, calls, left


def drain_with_workers(args, db, communication_ids, sms):
    """The same as ``drain`` with ARGS.senders processes calling the sending job at once (as
    several cron threads or Odoo workers do), each its own transaction; their SMS counted into SMS.
    Return (seconds, calls, channels left queued, peak memory of the workers in MB)."""
    command = [sys.executable, __file__, "-c", args.config, "-d", db, "--worker", "--batch", str(args.batch)]
    started = time.perf_counter()
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _n in range(args.senders)]
    reports = [json.loads(worker.communicate()[0].strip().splitlines()[-1]) for worker in workers]
    seconds = time.perf_counter() - started
    for report in reports:
        sms.numbers.update(report["sms"])
        sms.calls += report["sms_calls"]
    with odoo.sql_db.db_connect(db).cursor() as cr:
        left = queued_count(cr, communication_ids)
    work = (sum(r["work"][0] for r in reports), sum(r["work"][1] for r in reports))
    conflicts = sum(r["conflicts"] for r in reports)
    if conflicts:
        print(f"  {conflicts} call(s) of the job rolled back on a serialization failure, run again")
    return seconds, sum(r["calls"] for r in reports), left, max(r["peak_mb"] for r in reports), work


def worker_main(args):
    """One sender (``--worker``): call the sending job, committed, until no released reminder has a
    queued channel; print what it did as JSON."""
    registry = open_registry(args.config, args.database)
    quiet_logs()
    calls = idle = conflicts = 0
    with registry.cursor() as cr, TestSmsProvider() as sms:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        while True:
            before = released_queued_count(cr)
            if not before:
                break
            cr.commit()  # the job in a transaction of its own, as the cron runs it
            try:
                env["recouvrement.dunning.dispatch"]._cron_send(batch_size=args.batch)
                cr.commit()
            except psycopg2.errors.SerializationFailure:
                # another sender committed rows of this batch after this transaction's snapshot:
                # nothing was sent twice; the job is run again (as the cron or queue_job would)
                cr.rollback()
                conflicts += 1
            env.invalidate_all()
            calls += 1
            if released_queued_count(cr) == before:
                # what is left is being sent by the other senders (locked rows are skipped)
                idle += 1
                if idle > 600:
                    break
                time.sleep(0.1)
    print(
        json.dumps(
            {
                "calls": calls,
                "conflicts": conflicts,
                "sms": dict(sms.numbers),
                "sms_calls": sms.calls,
                "peak_mb": peak_memory_mb(),
                "work": work_done(),
            }
        )
    )
    return 0


def released_queued_count(cr):
    cr.execute(
        "SELECT COUNT(*) FROM recouvrement_dunning_dispatch d"
        " JOIN recouvrement_dunning_communication c ON c.id = d.communication_id"
        " WHERE d.state = 'queued' AND c.state = 'queued'"
    )
    return cr.fetchone()[0]


def quiet_logs():
    # the sink refuses some recipients on purpose, and wkhtmltopdf warns about its options
    logging.getLogger("odoo.addons.mail.models.mail_mail").setLevel(logging.CRITICAL)
    logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(logging.ERROR)


def measure_ours(db, data, args, sink):
    registry = odoo.modules.registry.Registry(db)
    results = {"phases": {}}
    with registry.cursor() as cr, TestSmsProvider() as sms:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].browse(data["company"])
        use_sink(env, sink)
        results["groups"] = setup_ours(env, company, args)
        cr.commit()
        run, results["run_seconds"] = ours_run(env, company, date.fromisoformat(data["run_date"]))
        print(f"  ours: dunning run {results['run_seconds']:.1f} s, {len(run.communication_ids):,} reminders")
        phases = channel_phases(cr, run.id)
        hold(cr, [cid for ids in phases.values() for cid in ids], "to_review")
        profile = cProfile.Profile() if args.profile else None
        for channel in ("email", "sms", "letter", "other"):
            ids = phases[channel]
            if not ids:
                continue
            if args.profile or args.limit:
                ids = ids[: args.profile or args.limit]
            hold(cr, ids, "queued")
            mark = sink.mark()
            sms_before = sum(sms.numbers.values())
            if args.senders > 1 and not profile:
                seconds, calls, left, workers_mb, work = drain_with_workers(args, db, ids, sms)
            else:
                before = work_done()
                seconds, calls, left = drain(env, ids, args.batch, profile)
                workers_mb = 0.0
                work = tuple(after - start for after, start in zip(work_done(), before, strict=True))
            cr.execute(
                "SELECT channel, state, COUNT(*) FROM recouvrement_dunning_dispatch"
                " WHERE communication_id = ANY(%s) GROUP BY channel, state",
                [ids],
            )
            states = {(channel_, state): count for channel_, state, count in cr.fetchall()}
            results["phases"][channel] = {
                "reminders": len(ids),
                "dispatches": sum(states.values()),
                "states": states,
                "seconds": seconds,
                "calls": calls,
                "left": left,
                "mails": len(sink.received()) - mark,
                "sms": sum(sms.numbers.values()) - sms_before,
                "peak_mb": max(peak_memory_mb(), workers_mb),
                "cpu": work[0],
                "queries": work[1],
            }
            print(
                f"  ours: {channel}: {len(ids):,} reminders in {seconds:.1f} s ({calls} calls), "
                f"peak memory {max(peak_memory_mb(), workers_mb):.0f} MB",
                flush=True,
            )
            if args.profile:
                break
        if profile:
            profile.dump_stats(os.path.join(odoo.tools.config["data_dir"], "bench_dispatch.prof"))
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
        results["checks"] = check_ours(env, run, sink, sms, args)
        results["sms_calls"] = sms.calls
    return results


def check_ours(env, run, sink, sms, args):
    """Every email received once, none left queued, the refused recipients alone failing, every
    SMS once, every letter rendered. Return a list of (check, ok, detail)."""
    cr = env.cr
    checks = []
    cr.execute(
        """
        SELECT c.name, d.channel, d.state, d.recipient, d.attachment_id IS NOT NULL
          FROM recouvrement_dunning_dispatch d
          JOIN recouvrement_dunning_communication c ON c.id = d.communication_id
         WHERE c.run_id = %s AND c.state != 'to_review'  -- held back by --limit: not sent
        """,
        [run.id],
    )
    dispatches = cr.fetchall()
    received = sink.received()
    by_message_id = Counter(mail["message_id"] for mail in received)
    by_reference = Counter(
        match.group() for mail in received for match in [REFERENCE.search(mail["subject"])] if match
    )
    emails_sent = {
        name: recipient
        for name, channel, state, recipient, _pdf in dispatches
        if channel == "email" and state == "sent"
    }
    expected = {name for name, recipient in emails_sent.items() if REFUSED not in (recipient or "")}
    refused = set(emails_sent) - expected
    twice = sorted(ref for ref, count in by_reference.items() if count > 1)
    missing = sorted(expected - set(by_reference))
    checks.append(
        (
            "each email received exactly once (by reminder number)",
            not twice and not missing and not (set(by_reference) & refused),
            (
                f"{len(expected):,} expected, {len(by_reference):,} received, {len(missing)} missing,"
                f" {len(twice)} twice"
            ),
        )
    )
    duplicate_ids = [mid for mid, count in by_message_id.items() if count > 1]
    checks.append(
        (
            "each Message-Id received once",
            not duplicate_ids,
            f"{len(by_message_id):,} Message-Ids, {len(duplicate_ids)} duplicated",
        )
    )
    queued = [name for name, _channel, state, _recipient, _pdf in dispatches if state == "queued"]
    checks.append(("no channel left queued", not queued, f"{len(queued)} queued"))
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE m.state = 'exception'), COUNT(*) FILTER (WHERE m.state IN ('outgoing'))
          FROM mail_mail m
          JOIN mail_message msg ON msg.id = m.mail_message_id
          JOIN recouvrement_dunning_communication c
            ON c.id = msg.res_id AND msg.model = 'recouvrement.dunning.communication'
         WHERE c.run_id = %s
        """,
        [run.id],
    )
    exceptions, outgoing = cr.fetchone()
    checks.append(
        (
            "refused recipients failed alone, the others delivered",
            exceptions == len(refused) and not missing and not outgoing,
            f"{len(refused)} refused by the sink, {exceptions} mails in exception, {outgoing} still outgoing",
        )
    )
    sms_sent = [
        recipient
        for _name, channel, state, recipient, _pdf in dispatches
        if channel == "sms" and state == "sent"
    ]
    sms_twice = [number for number, count in sms.numbers.items() if count > 1]
    checks.append(
        (
            "each SMS sent once to the provider",
            len(sms_sent) == sum(sms.numbers.values()) and not sms_twice,
            (
                f"{len(sms_sent):,} SMS channels sent, {sum(sms.numbers.values()):,} SMS to the provider"
                f" in {sms.calls} calls"
            ),
        )
    )
    letters = [
        pdf
        for _name, channel, state, _recipient, pdf in dispatches
        if channel == "letter" and state == "sent"
    ]
    checks.append(
        ("each letter rendered to PDF", all(letters), f"{len(letters):,} letters, {sum(letters):,} PDFs")
    )
    return checks


# ----------------------------------------------------------------------
# OCA: its run, then its email communications for the first customers
# ----------------------------------------------------------------------


def measure_oca(db, data, args, sink):
    """OCA's run, then its email communications sent for --oca-max customers with its standard
    template (which attaches a PDF summary) and, unless --oca-without-pdf alone is asked, for as
    many other customers with that attachment removed (the mail machinery alone)."""
    registry = odoo.modules.registry.Registry(db)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].browse(data["company"])
        use_sink(env, sink)
        company.email = "relances@bench.example.com"
        policy = env["credit.control.policy"].browse(data["oca_policy"])
        cr.commit()
        started = time.perf_counter()
        run = env["credit.control.run"].create(
            {"company_id": company.id, "date": data["run_date"], "policy_ids": [Command.set(policy.ids)]}
        )
        run.generate_credit_lines()
        cr.commit()
        results["run_seconds"] = time.perf_counter() - started
        print(f"  OCA: run {results['run_seconds']:.1f} s", flush=True)
        lines = env["credit.control.line"].search([("run_id", "=", run.id), ("channel", "=", "email")])
        partners = sorted(set(lines.partner_id.ids))
        variants = ["without PDF"] if args.oca_without_pdf else ["with PDF", "without PDF"]
        for number, variant in enumerate(variants):
            if variant == "without PDF":
                policy.level_ids.email_template_id.report_template_ids = False
                cr.commit()
            chosen = set(partners[number * args.oca_max : (number + 1) * args.oca_max])
            results[variant] = oca_send(
                env, lines.filtered(lambda line, chosen=chosen: line.partner_id.id in chosen), sink
            )
            print(
                f"  OCA: {variant}: {results[variant]['communications']:,} communications sent in"
                f" {results[variant]['seconds']:.1f} s",
                flush=True,
            )
    results["peak_mb"] = peak_memory_mb()
    return results


def oca_send(env, lines, sink):
    """What OCA's screens do: LINES marked To Do, then its Send by email wizard; committed (Odoo
    sends the mails after the commit)."""
    mark = sink.mark()
    started = time.perf_counter()
    env["credit.control.marker"].create(
        {"name": "to_be_sent", "line_ids": [Command.set(lines.ids)]}
    ).mark_lines()
    communications = (
        env["credit.control.emailer"].create({"line_ids": [Command.set(lines.ids)]})._send_emails()
    )
    env.cr.commit()
    seconds = time.perf_counter() - started
    env.cr.execute(
        "SELECT COUNT(*) FROM credit_control_line WHERE id = ANY(%s) AND state = 'sent'", [lines.ids]
    )
    return {
        "communications": len(communications),
        "lines": len(lines),
        "lines_sent": env.cr.fetchone()[0],
        "seconds": seconds,
        "mails": len(sink.received()) - mark,
    }


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args(argv):
    parser = ledger_argument_parser(
        __doc__, "open receivable items", reps=1, oca_reps=1, warmups=0, budget=0.0, min_reps=1
    )
    parser.add_argument(
        "--sink-python-path", default="", help="folder holding aiosmtpd (bench_dispatch.sh's)"
    )
    parser.add_argument(
        "--batch", type=int, default=200, help="channels per call of the sending job (default: 200)"
    )
    parser.add_argument(
        "--sms", type=int, default=500, help="customers reminded by email and SMS (default: 500)"
    )
    parser.add_argument(
        "--letters", "--max-letters", type=int, default=30, help="customers reminded by letter (default: 30)"
    )
    parser.add_argument(
        "--refused", type=int, default=20, help="customers whose address the sink refuses (default: 20)"
    )
    parser.add_argument(
        "--oca-max",
        type=int,
        default=100,
        help="customers whose OCA communications are sent, per variant (default: 100)",
    )
    parser.add_argument(
        "--oca-without-pdf",
        action="store_true",
        help="OCA's email template without its PDF attachment only (default: with, then without)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="cProfile the sending of N email reminders, then stop",
    )
    parser.add_argument(
        "--senders",
        type=int,
        default=1,
        help="processes calling the sending job at once, as several cron threads or workers (default: 1)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=0,
        metavar="N",
        help="send N reminders of each channel only (quick comparisons)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the two copies of the database")
    return parser.parse_args(argv)


def rate(count, seconds):
    return count / seconds if seconds else 0.0


def print_results(args, data, ours, oca):
    print()
    print(
        f"Ledger: {args.items:,} items, {args.customers:,} customers (run date {data['run_date']}); "
        f"customers by email and SMS {ours['groups']['sms']:,}, by letter {ours['groups']['letter']:,}, "
        f"refused by the sink {ours['groups']['refused']:,}"
    )
    print(f"ours: dunning run {ours['run_seconds']:.1f} s (committed)")
    header = (
        f"{'sending (ours, _cron_send)':<30} {'reminders':>9} {'channels':>9} {'seconds':>8}"
        f" {'reminders/s':>11}"
        f" {'CPU ms/rem.':>11} {'SQL/rem.':>8} {'peak MB':>8}  sent"
    )
    print(header)
    print("-" * len(header))
    total_seconds = 0.0
    for channel, phase in ours["phases"].items():
        total_seconds += phase["seconds"]
        sent = ", ".join(f"{c} {s}: {n:,}" for (c, s), n in sorted(phase["states"].items()))
        print(
            f"{channel:<30} {phase['reminders']:>9,} {phase['dispatches']:>9,} {phase['seconds']:>8.1f}"
            f" {rate(phase['reminders'], phase['seconds']):>11.1f}"
            f" {1000 * phase['cpu'] / phase['reminders']:>11.1f}"
            f" {phase['queries'] / phase['reminders']:>8.1f} {phase['peak_mb']:>8.0f}  {sent}"
        )
    print(f"{'queue emptied in':<30} {'':>9} {'':>9} {total_seconds:>8.1f}")
    print(
        f"({args.senders} sender process(es) calling the job at once; batches of {args.batch}; each call"
        " committed, its mails leave at the commit, SMTP reception included)"
    )
    if oca:
        print(f"OCA: run {oca['run_seconds']:.1f} s (committed)")
        for variant in ("with PDF", "without PDF"):
            if variant in oca:
                sent = oca[variant]
                speed = rate(sent["communications"], sent["seconds"])
                print(
                    f"OCA: email communications, {variant}: {sent['communications']:,}"
                    f" in {sent['seconds']:.1f} s = {speed:.1f}/s ({sent['mails']:,} received by the sink,"
                    f" {sent['lines_sent']:,}/{sent['lines']:,} lines sent)"
                )
    print()
    print("Checks")
    failed = False
    for name, ok, detail in ours["checks"]:
        failed |= not ok
        print(f"  {'OK  ' if ok else 'FAIL'} {name}: {detail}")
    print()
    targets = []

    def rate_target(channel, label):
        """The channel's reminders a second and its verdict against TARGETS (None when not sent)."""
        phase = ours["phases"].get(channel)
        if not phase:
            return None
        value = rate(phase["reminders"], phase["seconds"])
        verdict = "PASS" if value >= TARGETS[channel] else "FAIL"
        targets.append(f"{label} ≥ {TARGETS[channel]:g}/s: {verdict} ({value:.1f})")
        return value

    email_rate = rate_target("email", "emails")
    if email_rate:
        for variant in ("with PDF", "without PDF"):
            if oca and oca.get(variant, {}).get("communications"):
                ratio = email_rate / rate(oca[variant]["communications"], oca[variant]["seconds"])
                verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
                targets.append(f"≥ {TARGET_RATIO:g}× OCA {variant}: {verdict} ({ratio:.1f}×)")
    rate_target("letter", "letters")
    print("Targets: " + "; ".join(targets))
    return 1 if failed else 0


def main(argv=None):
    args = parse_args(argv)
    threading.current_thread().query_count = 0  # counted by Odoo's cursors (see work_done)
    threading.current_thread().query_time = 0.0
    if args.worker:
        return worker_main(args)
    registry = open_registry(args.config, args.database)
    quiet_logs()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_credit", "account_credit_control"))
        data = build_and_check(env, args, build_data, "bulk: ORM entries cloned in SQL")
        if data is None:
            return 1
    sink = SmtpSink(args.sink_python_path, odoo.tools.config["data_dir"])
    ours_db, oca_db = f"{args.database}_ours", f"{args.database}_oca"
    try:
        print("Ours…", flush=True)
        copy_database(args.database, ours_db)
        ours = measure_ours(ours_db, data, args, sink)
        oca = None
        if not args.skip_oca and not args.profile:
            print("OCA…", flush=True)
            copy_database(args.database, oca_db)
            oca = measure_oca(oca_db, data, args, sink)
    finally:
        sink.stop()
        if not args.keep:
            for name in (ours_db, oca_db):
                drop_database(name)
    if args.profile:
        return 0
    return print_results(args, data, ours, oca)


if __name__ == "__main__":
    sys.exit(main())
