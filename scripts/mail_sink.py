"""The demo's outgoing mail server: accepts every email and saves it to a folder, delivers none.

    mail_sink.py FOLDER PORT

The demo's customers have fictitious addresses: with this server the emails Odoo sends (reminders,
invoices) are marked sent, as in production, and each can be read in FOLDER as a .eml file.
Minimal SMTP (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), local connections only.
"""

import os
import socketserver
import sys
import time


class SinkHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 recouvrement-demo mail sink")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip().split(" ", 1)[0].upper()
            if command in ("HELO", "EHLO"):
                self.reply("250 recouvrement-demo")
            elif command in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.save(self.read_data())
                self.reply("250 OK: saved")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) and line.rstrip(b"\r\n") != b".":
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def save(self, message):
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns()}.eml"
        with open(os.path.join(self.server.folder, name), "wb") as file:
            file.write(message)


class SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(folder, port):
    os.makedirs(folder, exist_ok=True)
    with SinkServer(("127.0.0.1", int(port)), SinkHandler) as server:
        server.folder = folder
        server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:3])
