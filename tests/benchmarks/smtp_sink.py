"""A local SMTP sink for bench_dispatch.py: accepts every message on 127.0.0.1:PORT and appends one
JSON line per message received to LOG (its Message-Id, subject and recipients), refuses the
recipients whose address contains REFUSE (SMTP 550 at RCPT), and runs until it is terminated.

    python3 tests/benchmarks/smtp_sink.py PORT LOG [REFUSE]

Needs ``aiosmtpd`` (PyPI), which bench_dispatch.sh installs into the benchmark's private folder:
a benchmark tool, not a dependency of the addons. Run as its own process, so that receiving the
mails does not take the Python interpreter of the Odoo process that sends them."""

import asyncio
import email
import email.header
import email.policy
import json
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, log, refuse):
        self.log = log
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return "550 5.1.1 mailbox refused by the benchmark's sink"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.compat32)
        record = {
            "message_id": message.get("Message-Id", ""),
            "subject": str(email.header.make_header(email.header.decode_header(message.get("Subject", "")))),
            "to": envelope.rcpt_tos,
            "references": message.get("References", ""),
        }
        self.log.write(json.dumps(record) + "\n")
        self.log.flush()  # written before the sender gets its 250: received means logged
        return "250 Message accepted"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    refuse = sys.argv[3] if len(sys.argv) > 3 else ""
    with open(path, "a", encoding="utf-8") as log:
        controller = Controller(Sink(log, refuse), hostname="127.0.0.1", port=port)
        controller.start()
        print(f"SMTP sink listening on 127.0.0.1:{port}", flush=True)
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, loop.stop)
        loop.run_forever()
        controller.stop()


if __name__ == "__main__":
    main()
