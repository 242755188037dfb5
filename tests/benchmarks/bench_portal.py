"""Customer-portal benchmark: the statement page of recouvrement_portal (/my/collections) against
stock Odoo's invoice list (/my/invoices), for the same customer with 5,000 open items, in the same
run. Run by bench_portal.sh (`make bench-portal`); see README.md beside this file.

    python3 tests/benchmarks/bench_portal.py -c ODOO_RC -d DB

The database must have recouvrement_portal installed, without demo data. The script builds the
customer's ledger in bulk (one invoice through the ORM, cloned in SQL), commits it, signs a portal
user in through /web/login and times both pages through Odoo's whole HTTP stack (WSGI application
called in-process: routing, session, record rules, rendering; no network, no browser).
"""

import argparse
import re
import time

from benchlib import (
    analyze,
    built_marker,
    clone_moves,
    open_registry,
    post_template_invoice,
    repeat_timed,
    require_modules,
    set_marker,
)
from werkzeug.test import Client

import odoo
from odoo import Command, fields
from odoo.tools import SQL

ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}  # what a server's WSGI environment carries and Odoo's login reads
MARKER = "recouvrement.bench.portal"  # ir.config_parameter: the sizes of the data built here
LOGIN = "bench_portal"
TABLES = ("res_partner", "account_move", "account_move_line", "mail_followers", "recouvrement_dispute")
PAGES = {
    "ours": ("/my/collections", "statement (recouvrement_portal)"),
    "stock": ("/my/invoices", "stock /my/invoices"),
}


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def build_data(env, args):
    """The customer company, its portal contact, its open invoices (due dates from 150 days late
    to 30 days ahead, so that every aged bucket has items) and a few open disputes. Committed."""
    sizes = {"items": args.items, "disputes": args.disputes}
    built = built_marker(env, MARKER, sizes)
    if built:
        print("Reusing the benchmark data already built in this database.")
        return built
    started = time.perf_counter()
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    customer = partners.create({"name": "Bench debtor SA", "is_company": True, "customer_rank": 1})
    contact = partners.create(
        {"name": "Bench contact", "parent_id": customer.id, "email": "bench@example.com"}
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": contact.name,
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    today = fields.Date.context_today(env["res.partner"])
    # One real invoice through the ORM (posting makes the customer follow it, which is what
    # lets stock /my/invoices show it): the template the others are cloned from.
    template, first_number = post_template_invoice(env, customer, today)
    cr = env.cr
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_invoice ON COMMIT DROP AS
            SELECT %(partner)s AS partner_id, nextval('account_move_id_seq') AS move_id,
                   %(first)s - 1 + k AS number,
                   (50 + mod(k * 31, 4950))::numeric AS amount,
                   %(today)s::date - mod(k * 13, 181)::int AS invoice_date
              FROM generate_series(1, %(count)s) AS k
            """,
            partner=customer.id,
            first=first_number,
            today=today,
            count=args.items - 1,
        )
    )
    clone_moves(cr, template.id)
    # Stock's portal shows the invoices the customer follows, as it would after posting each one.
    cr.execute(
        SQL(
            "INSERT INTO mail_followers (res_model, res_id, partner_id)"
            " SELECT 'account.move', move_id, partner_id FROM bench_invoice",
        )
    )
    env.invalidate_all()
    moves = env["account.move"].search(
        [("partner_id", "=", customer.id), ("move_type", "=", "out_invoice")], order="id", limit=args.disputes
    )
    env["recouvrement.dispute"].with_context(tracking_disable=True).create(
        [{"move_id": move.id, "category": "price"} for move in moves]
    )
    env.flush_all()
    data = {
        "sizes": sizes,
        "customer_id": customer.id,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    set_marker(env, MARKER, data)
    analyze(cr, TABLES)
    return data


def data_sizes(env, data):
    customer = env["res.partner"].browse(data["customer_id"])
    open_items = env["account.move.line"].search_count(customer._get_statement_domain())
    return {
        "open items of the customer": open_items,
        "invoices the customer follows (stock /my/invoices)": env["mail.followers"].search_count(
            [("res_model", "=", "account.move"), ("partner_id", "=", customer.id)]
        ),
        "open disputes": env["recouvrement.dispute"].search_count([("partner_id", "=", customer.id)]),
    }


# ----------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------


def portal_client(database):
    """A werkzeug test client of Odoo's WSGI application, signed in as the portal user through
    the login form, as a browser would be."""
    odoo.service.server.load_server_wide_modules()
    client = Client(odoo.http.root)
    page = client.get(f"/web/login?db={database}", environ_base=ENVIRON)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/web/login",
        data={"csrf_token": csrf, "login": LOGIN, "password": LOGIN, "redirect": "/my"},
        environ_base=ENVIRON,
    )
    if response.status_code not in (302, 303) or "/web/login" in response.headers.get("Location", ""):
        raise SystemExit(f"ERROR: the portal user could not sign in ({response.status_code})")
    return client


def get_page(client, url):
    response = client.get(url, environ_base=ENVIRON)
    if response.status_code != 200:
        raise SystemExit(f"ERROR: {url} answered {response.status_code}")
    return response.get_data(as_text=True)


def check_pages(client, data):
    """Both pages show the customer's items: ours its whole balance and 5,000 items counted,
    stock's its invoice count in the pager."""
    ours = get_page(client, PAGES["ours"][0])
    stock = get_page(client, PAGES["stock"][0])
    problems = []
    items = data["sizes"]["items"]
    if f"({items:,})" not in ours and f"({items})" not in ours:
        problems.append(f"the statement does not count {items} items")
    if "o_portal_pager" not in stock or "INV/" not in stock:
        problems.append("stock /my/invoices does not list the customer's invoices")
    return problems, len(ours), len(stock)


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--items", type=int, default=5_000, help="open items of the customer (5000)")
    parser.add_argument("--disputes", type=int, default=20, help="open disputes among them (20)")
    parser.add_argument("--reps", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per page at most (120)")
    parser.add_argument("--min-reps", type=int, default=5)
    parser.add_argument("--target", type=float, default=150.0, help="median target of ours, ms (150)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        require_modules(env, ("recouvrement_portal",))
        print(f"Building the data (bulk: one ORM invoice cloned in SQL, {args.items:,} open items)…")
        data = build_data(env, args)
        cr.commit()
        sizes = data_sizes(env, data)

        client = portal_client(args.database)
        problems, ours_size, stock_size = check_pages(client, data)
        results = {}
        print("Measuring…")
        for key, (url, label) in PAGES.items():
            results[key], _value = repeat_timed(
                env,
                lambda url=url: get_page(client, url),
                reps=args.reps,
                warmups=args.warmups,
                budget=args.budget,
                min_reps=args.min_reps,
                label=label,
                rollback=False,
            )
        cr.rollback()

    print()
    print("Data")
    for name, value in sizes.items():
        print(f"  {name:<55} {value:>9,}")
    print(f"  {'data build (bulk), seconds':<55} {data['build_seconds']:>9}")
    print(f"  {'page size, ours / stock (characters)':<55} {ours_size:>9,} / {stock_size:,}")
    print()
    header = f"{'page (GET, signed-in portal user)':<40} {'n':>3} {'median':>8} {'min':>8} {'max':>8}"
    print(header)
    print("-" * len(header))
    for key, (_url, label) in PAGES.items():
        result = results[key]
        figures = " ".join(f"{result[name]:>8.1f}" for name in ("median", "min", "max"))
        print(f"{label:<40} {result['n']:>3} {figures}")
    ours, stock = results["ours"]["median"], results["stock"]["median"]
    verdict = "PASS" if ours <= args.target else "FAIL"
    print(f"(milliseconds; n = timed requests) ours / stock = {ours / stock:.2f}")
    print(f"target: our median ≤ {args.target:g} ms: {verdict}")
    if problems:
        print("CROSS-CHECK FAILED: " + "; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
