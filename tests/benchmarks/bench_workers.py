"""Scale-out benchmark: the daily dunning run and the sending of its reminders as queue_job jobs,
consumed by an Odoo server with 1 and then 2 worker processes (queue_job's job runner), on the
same ledger. Run by bench_workers.sh (`make bench-workers`); see README.md beside this file.

    python3 tests/benchmarks/bench_workers.py -c ODOO_RC -d DB

The database must have recouvrement_credit_queue (hence queue_job) installed, without demo data.
The script builds the ledger once (``benchlib.build_ledger``) with an email-only scenario, and
commits it. Then, for each repetition and each number of workers, it copies the database
(``createdb -T``), starts ``odoo --workers=N --load=base,web,queue_job`` on the copy with
``[queue_job] channels = root:N,root.recouvrement:N`` and a local SMTP sink
(scripts/mail_sink.py), enqueues the scheduled run as the scheduled action does, and times until
every job of the channel is done. It prints the medians and the speed-up of 2 workers over 1.

Last, the same with 2 workers, one of them killed (SIGKILL) while it sends a batch: Odoo's
prefork master starts a new worker, queue_job's runner gives the dead job back to the queue, and
the run ends. Every copy is checked: no item reminded twice, no channel sent twice, no reminder
left queued, no job failed, the same items reminded as with 1 worker (nothing lost), and as many
emails received by the SMTP sink as email channels sent.
"""

import argparse
import hashlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from benchlib import (
    analyze,
    build_ledger,
    built_marker,
    open_registry,
    plan_invoices,
    require_modules,
    set_marker,
)

import odoo
from odoo import Command, fields

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKER = "recouvrement.bench.workers"  # ir.config_parameter: sizes and run date of the built ledger
TABLES = ("res_partner", "account_move", "account_move_line", "account_partial_reconcile")
SEED = 20261202
CHANNEL = "root.recouvrement"
LEVELS = (
    (-5, 1, "Courtesy reminder"),
    (1, 1, "First reminder"),
    (15, 7, "Second reminder"),
    (30, 7, "Last reminder"),
)
POLL = 0.5  # seconds between two looks at the queue
REQUEUE_AFTER = 30  # seconds after which a killed job still "started" is requeued (requeue_dead_job)
LAUNCHER = """import signal
import sys

if sys.argv[1:2] == ["gevent"]:
    signal.pause()
else:
    from odoo.cli.command import main

    main()
"""
# the work left: jobs of the channel not over, and reminder emails not yet given to the SMTP server
# (a job's emails go out after its commit, still in the worker's request)
WORK_LEFT = """
    SELECT (SELECT COUNT(*) FROM queue_job WHERE channel = %(channel)s
               AND state NOT IN ('done', 'failed', 'cancelled'))
         + (SELECT COUNT(*) FROM mail_mail mail JOIN mail_message message ON message.id = mail.mail_message_id
             WHERE message.model = 'recouvrement.dunning.communication' AND mail.state = 'outgoing')
"""


# ----------------------------------------------------------------------
# The ledger and the email-only scenario
# ----------------------------------------------------------------------


def build_data(env, args):
    """Customers, their open invoices and partial payments, an email-only scenario as the company's
    default; committed, analyzed."""
    sizes = {"customers": args.customers, "items": args.items}
    data = built_marker(env, MARKER, sizes)
    if data:
        print(f"Reusing the ledger already built in this database (run date {data['run_date']}).")
        return data
    started = time.perf_counter()
    company = env.company
    run_date = fields.Date.context_today(env["res.partner"])
    build_ledger(env, args.customers, args.items, run_date, plan_invoices, SEED)
    template = (
        env.ref("recouvrement_credit.dunning_scenario_standard")
        .level_ids.filtered("mail_template_id")[:1]
        .mail_template_id
    )
    scenario = env["recouvrement.dunning.scenario"].create(
        {
            "name": "Bench: emails only",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "level": number,
                        "day_offset": offset,
                        "min_days_since_last": wait,
                        "channel_email": True,
                        "mail_template_id": template.id,
                        "fallback_channel": "none",
                    }
                )
                for number, (offset, wait, name) in enumerate(LEVELS, start=1)
            ],
        }
    )
    company.write({"dunning_scenario_id": scenario.id, "email": "relances@bench.example.com"})
    env.flush_all()
    data = {
        "sizes": sizes,
        "run_date": fields.Date.to_string(run_date),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    set_marker(env, MARKER, data)
    env.cr.commit()
    analyze(env.cr, TABLES)
    return data


# ----------------------------------------------------------------------
# One measured run: a copy of the database, a server with N workers
# ----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(database, sql):
    return subprocess.run(
        ["psql", "-X", "-q", "-At", "-d", database, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def copy_database(source, target):
    psql("postgres", f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    subprocess.run(["createdb", "-T", source, target], check=True)


class Server:
    """Odoo with WORKERS worker processes and queue_job's job runner on DATABASE, its emails sent to
    a local SMTP sink that keeps them in FOLDER."""

    def __init__(self, args, database, workers, folder):
        self.folder = folder
        shutil.rmtree(os.path.join(folder, "mail"), ignore_errors=True)  # a previous run's emails
        os.makedirs(os.path.join(folder, "mail"))
        smtp_port, self.http_port = free_port(), free_port()
        self.sink = subprocess.Popen(
            [
                sys.executable,
                os.path.join(REPO, "scripts", "mail_sink.py"),
                os.path.join(folder, "mail"),
                str(smtp_port),
            ]
        )
        config = os.path.join(folder, "odoo.rc")
        with open(args.config, encoding="utf-8") as base, open(config, "w", encoding="utf-8") as out:
            out.write(base.read())
            out.write(f"\n[queue_job]\nchannels = root:{workers},{CHANNEL}:{workers}\n")
        self.log = os.path.join(folder, "odoo.log")
        # The prefork server starts its gevent process (websockets, not used here) as
        # `sys.executable sys.argv[0] gevent ...`: a launcher stands for it, idle until stopped,
        # instead of an Odoo that needs gevent's dependencies, failing and restarted in a loop.
        launcher = os.path.join(folder, "odoo-server.py")
        with open(launcher, "w", encoding="utf-8") as script:
            script.write(LAUNCHER)
        self.process = subprocess.Popen(
            [
                sys.executable,
                launcher,
                "-c",
                config,
                "-d",
                database,
                f"--db-filter=^{database}$",
                f"--workers={workers}",
                "--max-cron-threads=0",
                "--load=base,web,queue_job",
                f"--http-port={self.http_port}",
                f"--gevent-port={free_port()}",
                "--smtp=127.0.0.1",
                f"--smtp-port={smtp_port}",
                "--limit-time-real=1800",
                "--limit-time-cpu=1800",
                f"--logfile={self.log}",
            ]
        )
        self._wait_ready()

    def _wait_ready(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"ERROR: the Odoo server stopped at start-up; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/web/health", timeout=5):
                    return
            except OSError:
                time.sleep(POLL)
        sys.exit(f"ERROR: the Odoo server did not answer within {timeout} s; see {self.log}")

    def emails_received(self):
        return len([name for name in os.listdir(os.path.join(self.folder, "mail")) if name.endswith(".eml")])

    def stop(self):
        for process in (self.process, self.sink):
            process.send_signal(signal.SIGINT)
        for process in (self.process, self.sink):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def enqueue_run(database, batch_size):
    """What the scheduled action does when the job runner is there: one job per company."""
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"recouvrement_queue_jobs": True})
        env["recouvrement.dunning.run"]._cron_run(batch_size=batch_size)


def work_left(cr):
    cr.execute(WORK_LEFT, {"channel": CHANNEL})
    return cr.fetchone()[0]


def wait_drained(cr, timeout, kill=None):
    """Wait until no job of the channel is left to run and their emails are out; with KILL, SIGKILL
    the worker of the first sending job seen running for KILL seconds. Return (seconds, the killed
    job's uuid or None)."""
    started = time.monotonic()
    killed = killed_at = None
    while True:
        cr.rollback()  # a new snapshot
        if kill and not killed:
            killed = kill_a_sending_worker(cr, kill)
            killed_at = time.monotonic()
        elif killed and time.monotonic() - killed_at > REQUEUE_AFTER:
            requeue_dead_job(cr, killed)
        if not work_left(cr):
            return time.monotonic() - started, killed
        if time.monotonic() - started > timeout:
            sys.exit(f"ERROR: jobs still open after {timeout} s")
        time.sleep(POLL)


def requeue_dead_job(cr, uuid):
    """The killed job, still 'started' REQUEUE_AFTER seconds after its worker died, set back to
    pending as queue_job's garbage collector does (``requeue_stuck_jobs(started_delta=…)``, a
    scheduled action): queue_job releases from 18.0.2 on see the dead worker and requeue the job
    themselves; earlier ones only through that action, whose started_delta is off by default."""
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    job = env["queue.job"].search([("uuid", "=", uuid), ("state", "=", "started")])
    if job:
        print(f"    job {uuid} still started {REQUEUE_AFTER} s after its worker died: requeued", flush=True)
        job.requeue()
        cr.commit()


def kill_a_sending_worker(cr, running_for):
    cr.execute(
        """SELECT uuid, worker_pid FROM queue_job
            WHERE channel = %s AND method_name = '_job_send' AND state = 'started' AND worker_pid IS NOT NULL
              AND date_started < (NOW() AT TIME ZONE 'UTC') - %s * INTERVAL '1 second'
         ORDER BY date_started LIMIT 1""",
        [CHANNEL, running_for],
    )
    row = cr.fetchone()
    if not row:
        return None
    uuid, pid = row
    print(f"    SIGKILL to worker {pid}, sending job {uuid} running for {running_for} s or more", flush=True)
    os.kill(pid, signal.SIGKILL)
    return uuid


def check(cr, run_date):
    """What the copy holds after the run: duplicates, leftovers, failures, and a digest of the
    items reminded (to compare the runs)."""
    facts = {}
    lines = (
        "recouvrement_dunning_communication_line line"
        " JOIN recouvrement_dunning_communication c ON c.id = line.communication_id AND c.date = %(date)s"
    )
    channels = (
        "recouvrement_dunning_dispatch d"
        " JOIN recouvrement_dunning_communication c ON c.id = d.communication_id AND c.date = %(date)s"
    )
    twice = "SELECT COUNT(*) FROM (SELECT 1 FROM {} GROUP BY {} HAVING COUNT(*) > 1) twice"
    queries = {
        "items reminded": f"SELECT COUNT(*) FROM {lines}",
        "reminders": "SELECT COUNT(*) FROM recouvrement_dunning_communication WHERE date = %(date)s",
        "items reminded twice": twice.format(lines, "line.move_line_id"),
        "customers with two reminders": twice.format(
            "recouvrement_dunning_communication c WHERE c.date = %(date)s", "c.partner_id, c.currency_id"
        ),
        "channels sent": f"SELECT COUNT(*) FROM {channels} WHERE d.state = 'sent'",
        "channels sent twice": twice.format(channels, "d.communication_id, d.channel"),
        "emails posted twice": twice.format(
            "mail_message m WHERE m.message_type = 'comment'"
            " AND m.model = 'recouvrement.dunning.communication'",
            "m.res_id",
        ),
        "channels left queued": "SELECT COUNT(*) FROM recouvrement_dunning_dispatch WHERE state = 'queued'",
        "channels failed": "SELECT COUNT(*) FROM recouvrement_dunning_dispatch WHERE state = 'failed'",
        "jobs failed": "SELECT COUNT(*) FROM queue_job WHERE state = 'failed'",
        "jobs": f"SELECT COUNT(*) FROM queue_job WHERE channel = '{CHANNEL}'",
        "seconds in jobs": "SELECT ROUND(SUM(exec_time)::numeric, 1) FROM queue_job"
        f" WHERE channel = '{CHANNEL}'",
        "runs not done": "SELECT COUNT(*) FROM recouvrement_dunning_run"
        " WHERE date = %(date)s AND state != 'done'",
        "reminder emails not delivered": "SELECT COUNT(*) FROM mail_mail mail"
        " JOIN mail_message message ON message.id = mail.mail_message_id"
        " WHERE message.model = 'recouvrement.dunning.communication' AND mail.state != 'sent'",
    }
    for label, sql in queries.items():
        cr.execute(sql, {"date": run_date})
        facts[label] = cr.fetchone()[0]
    cr.execute(f"SELECT line.move_line_id FROM {lines} ORDER BY 1", {"date": run_date})
    facts["digest"] = hashlib.sha1(",".join(str(row[0]) for row in cr.fetchall()).encode()).hexdigest()[:12]
    return facts


def measure(args, data, workers, rep, kill=None):
    label = f"{workers} worker{'s' if workers > 1 else ''}" + (", one killed" if kill else "")
    database = f"{args.database}_w{workers}{'k' if kill else ''}"
    folder = os.path.join(args.work, f"{database}-{rep}")
    copy_database(args.database, database)
    server = Server(args, database, workers, folder)
    try:
        connection = odoo.sql_db.db_connect(database)
        with connection.cursor() as cr:
            started = time.monotonic()
            enqueue_run(database, args.batch_size)
            _seconds, killed = wait_drained(cr, args.timeout, kill=kill)
            elapsed = time.monotonic() - started  # the enqueueing (one job per company) included
            cr.rollback()
            facts = check(cr, data["run_date"])
            if killed:
                cr.execute("SELECT state, retry FROM queue_job WHERE uuid = %s", [killed])
                facts["killed job (state, tries)"] = cr.fetchone()
            cr.rollback()
        odoo.modules.registry.Registry.delete(database)
        odoo.sql_db.close_db(database)
        facts["emails received by the SMTP sink"] = server.emails_received()
    finally:
        server.stop()
    in_jobs = float(facts["seconds in jobs"] or 0)  # performing, without the emails' delivery
    print(
        f"  {label}, run {rep + 1}: {elapsed:.1f} s (load average {os.getloadavg()[0]:.2f}),"
        f" {facts['reminders']:,} reminders, {facts['channels sent']:,} channels sent, {facts['jobs']} jobs"
        f" ({in_jobs:.1f} s in jobs, {in_jobs / elapsed:.2f} at once on average)",
        flush=True,
    )
    return elapsed, facts


def problems_of(facts, reference):
    problems = [
        f"{label}: {facts[label]}"
        for label in (
            "items reminded twice",
            "customers with two reminders",
            "channels sent twice",
            "emails posted twice",
            "channels left queued",
            "jobs failed",
            "runs not done",
        )
        if facts[label]
    ]
    if facts["digest"] != reference["digest"] or facts["items reminded"] != reference["items reminded"]:
        problems.append(
            f"items reminded differ from the 1-worker run's"
            f" ({facts['items reminded']} vs {reference['items reminded']})"
        )
    if facts["emails received by the SMTP sink"] != facts["channels sent"]:
        problems.append(
            f"emails received by the SMTP sink ({facts['emails received by the SMTP sink']})"
            f" != email channels sent ({facts['channels sent']}; not delivered:"
            f" {facts['reminder emails not delivered']})"
        )
    return problems


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=400, help="customers (default: 400)")
    parser.add_argument("--items", type=int, default=2_000, help="open receivable items (default: 2000)")
    parser.add_argument("--reps", type=int, default=1, help="timed runs per number of workers (default: 1)")
    parser.add_argument(
        "--batch-size", type=int, default=50, help="customers per batch job of the run (default: 50)"
    )
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a run may take (default: 1800)")
    parser.add_argument(
        "--kill-after", type=float, default=1.0, help="seconds a sending job runs before its worker is killed"
    )
    parser.add_argument("--skip-kill", action="store_true", help="no run with a killed worker")
    parser.add_argument(
        "--work", default=os.environ.get("BENCH_WORK") or "/tmp", help="folder for logs and mail"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ["recouvrement_credit_queue", "queue_job"])
        print(f"Building the ledger ({args.customers:,} customers, {args.items:,} open items)…")
        data = build_data(env, args)
        print(f"  built in {data['build_seconds']} s, on {data['run_date']}")
        data["run_date"] = fields.Date.to_string(fields.Date.context_today(env["res.partner"]))  # the run's
    odoo.modules.registry.Registry.delete(args.database)
    odoo.sql_db.close_db(args.database)  # createdb -T needs the template without connections

    print(
        f"\nRun + sending through queue_job, {args.batch_size} customers per batch job"
        f" (cpu cores: {os.cpu_count()})"
    )
    times, reference = {1: [], 2: []}, None
    failures = []
    for rep in range(args.reps):
        for workers in (1, 2):
            elapsed, facts = measure(args, data, workers, rep)
            times[workers].append(elapsed)
            reference = reference or facts
            failures += [f"{workers} workers: {p}" for p in problems_of(facts, reference)]
    median = {workers: statistics.median(values) for workers, values in times.items()}
    print(
        f"\n  median, 1 worker: {median[1]:.1f} s; 2 workers: {median[2]:.1f} s;"
        f" speed-up {median[1] / median[2]:.2f}x (reference: 1 worker, same run)"
    )
    print(
        f"  {reference['reminders']:,} reminders, {reference['items reminded']:,} items,"
        f" {reference['channels sent']:,} emails: {reference['channels sent'] / median[1]:.1f} a second"
        f" with 1 worker, {reference['channels sent'] / median[2]:.1f} with 2"
    )
    if not args.skip_kill:
        print("\nA worker killed (SIGKILL) while it sends a batch, then restarted by Odoo; the job requeued")
        _elapsed, facts = measure(args, data, 2, 0, kill=args.kill_after)
        if "killed job (state, tries)" not in facts:
            failures.append("no sending job ran long enough to be killed: lower --kill-after")
        else:
            print(
                f"  killed job afterwards: state {facts['killed job (state, tries)'][0]},"
                f" tries {facts['killed job (state, tries)'][1]}"
            )
        failures += [f"killed worker: {p}" for p in problems_of(facts, reference)]
    print(
        "\nChecks (each run against the 1-worker run): items reminded twice, customers with two reminders,"
        " channels or emails sent twice, channels left queued, jobs failed, items lost"
    )
    for failure in failures:
        print(f"  FAILED: {failure}")
    print("  all passed: zero duplicates, zero losses" if not failures else f"  {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
