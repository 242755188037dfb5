"""Read an Odoo log: count tests, and fail on errors or on warnings about our addons.

Usage: check_odoo_log.py LOGFILE [--counts-to FILE]
Prints the offending lines; writes "RUN FAILED" (two integers) to --counts-to.
Exit status: 0 when clean, 1 otherwise.
"""

import argparse
import re
import sys

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^:\s]+): "
    r"(?P<msg>.*)$"
)
RESULT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading")
OURS = "recouvrement"


def scan(lines):
    """Return (tests_run, tests_failed, problems) where problems are log records to show."""
    run = failed = 0
    problems, current = [], None
    for raw in lines:
        line = raw.rstrip("\n")
        match = LINE.match(line)
        if not match:
            if current is not None:  # traceback or multi-line message of a kept record
                current.append(line)
            continue
        current = None
        level, logger, msg = match["level"], match["logger"], match["msg"]
        result = RESULT.search(msg)
        if result and logger == "odoo.tests.result":
            run += int(result["run"])
            failed += int(result["failed"]) + int(result["errors"])
            if run:  # "0 tests" is a warning we report through the count instead
                continue
        if level in ("ERROR", "CRITICAL") or (level == "WARNING" and (OURS in logger or OURS in msg)):
            current = [line]
            problems.append(current)
    return run, failed, problems


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("logfile")
    parser.add_argument("--counts-to")
    args = parser.parse_args(argv)
    with open(args.logfile, encoding="utf-8", errors="replace") as log:
        run, failed, problems = scan(log)
    for record in problems:
        print("\n".join(record))
    if args.counts_to:
        with open(args.counts_to, "w", encoding="utf-8") as out:
            out.write(f"{run} {failed}\n")
    print(f"Odoo runner: {run} tests, {failed} failed or in error, {len(problems)} log problems")
    return 1 if problems or failed or not run else 0


if __name__ == "__main__":
    sys.exit(main())
