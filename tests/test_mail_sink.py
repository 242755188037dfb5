"""The demo's mail server keeps every email it is given, as a file, and delivers none."""

import smtplib
import threading
from email.message import EmailMessage

import mail_sink


def test_emails_are_kept_as_files(tmp_path):
    server = mail_sink.SinkServer(("127.0.0.1", 0), mail_sink.SinkHandler)
    server.folder = str(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@x.example", "b@y.example", "Relance"
        message.set_content(".first line starts with a dot\nsecond line")
        with smtplib.SMTP("127.0.0.1", server.server_address[1], timeout=10) as smtp:
            assert smtp.send_message(message) == {}
    finally:
        server.shutdown()
        server.server_close()
    (saved,) = tmp_path.glob("*.eml")
    text = saved.read_text()
    assert "Subject: Relance" in text and "\n.first line starts with a dot\nsecond line" in text
