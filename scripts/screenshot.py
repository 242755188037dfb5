"""Take README screenshots of a running Odoo (the demo): log in, open a page, save a PNG.

    python3 scripts/screenshot.py URL_PATH OUT.png [--base http://localhost:8069]
                                  [--login admin --password admin | --anonymous] [--size 1400x860]
                                  [--click CSS]

Drives headless Chromium through the DevTools protocol (websocket-client, already a test
dependency). The session cookie comes from a real login, as a user would get it.
"""

import argparse
import base64
import http.cookiejar
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import websocket


def login(base, user, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/web/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"login": user, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/web/login", data=form, timeout=30).read()
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chromium:
    def __init__(self, width, height):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="screenshot-chromium-")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--remote-debugging-port={self.port}", f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}", "--hide-scrollbars", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.socket = websocket.create_connection(self._page_websocket(), timeout=60)
        self.next_id = 0

    def _page_websocket(self):
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=5) as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("Chromium did not start")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path")
    parser.add_argument("output")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--anonymous", action="store_true", help="no login: a visitor with a link")
    parser.add_argument("--size", default="1400x860")
    parser.add_argument("--wait", type=float, default=8.0, help="seconds for the page to settle")
    parser.add_argument("--click", help="CSS selector of an element to click once the page is loaded")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    host = urllib.parse.urlparse(args.base).hostname
    session = None if args.anonymous else login(args.base, args.login, args.password)
    browser = Chromium(width, height)
    try:
        browser.call("Network.enable")
        if session:
            browser.call("Network.setCookie", name="session_id", value=session, domain=host, path="/")
        browser.call("Page.enable")
        browser.call("Page.navigate", url=args.base + args.path)
        time.sleep(args.wait)
        if args.click:
            selector = json.dumps(args.click)
            browser.call("Runtime.evaluate", expression=f"document.querySelector({selector}).click()")
            time.sleep(2)
        shot = browser.call("Page.captureScreenshot", format="png")
    finally:
        browser.close()
    with open(args.output, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


if __name__ == "__main__":
    main()
