"""A web worker process killed in the middle of a request: `taizhang serve` (gunicorn) on
an installation of its own; a clerk's import of 30,000 rows is under way when the worker
handling it is killed (SIGKILL). The clerk's browser sees the connection drop; nothing of
the file is written, the totals hold, gunicorn starts a new worker, and the same file sent
again is imported."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import pytest

from taizhang.testing import PASSWORD
from taizhang.tests.installations import ROOT, new_installation, run

ROWS = 30_000


class Browser:
    def __init__(self, port):
        self.port, self.cookies = port, {}

    def send(self, method, path, body=b"", content_type=None, timeout=120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": "127.0.0.1", "Referer": "http://127.0.0.1/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def sign_in(self, username):
        self.send("GET", "/accounts/login/")
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD,
             "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )  # fmt: skip
        status, _ = self.send("POST", "/accounts/login/", body, "application/x-www-form-urlencoded")
        assert status == 302, status

    def upload(self, path, filename, data):
        status, page = self.send("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'.encode()
            + token
            + b"\r\n",
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.send("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


def workers_of(master):
    done = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return {int(p) for p in done.stdout.split()}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ledger(env):
    return json.loads(run(env, "-m", "taizhang.jobs.tests.scenario", "ledger", "0"))


def test_a_web_worker_killed_mid_import_writes_nothing(tmp_path):
    with new_installation(prefix="taizhang-web-kill-") as env:
        env = {**env, "TAIZHANG_IMPORT_BACKGROUND_KB": "1000000", "TAIZHANG_DEBUG": "0"}
        run(env, "-m", "taizhang.jobs.tests.scenario", "setup", "1")  # the small Ningbo
        data = subprocess.run(
            [sys.executable, "-m", "taizhang.jobs.tests.scenario", "lectures", str(ROWS)],
            cwd=ROOT, env=env, capture_output=True, check=True, timeout=300,
        ).stdout  # fmt: skip
        before = ledger(env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "taizhang.cli", "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--no-worker", "--skip-migrate"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            browser = Browser(port)
            for _ in range(240):
                try:
                    if browser.send("GET", "/healthz", timeout=5)[0] in (200, 503):
                        break
                except OSError:
                    time.sleep(0.5)
            browser.sign_in("bob")
            (worker,) = workers_of(server.pid)
            path = "/ledger/import/?kind=party_lecture"
            outcome = {}

            def killer():
                time.sleep(1.0)  # the file is being read, checked and written
                outcome["killed_at"] = time.monotonic()
                os.kill(worker, signal.SIGKILL)

            thread = threading.Thread(target=killer)
            thread.start()
            started = time.monotonic()
            with pytest.raises((http.client.HTTPException, ConnectionError)):
                browser.upload(path, "党课.xlsx", data)
            thread.join()
            assert outcome["killed_at"] - started < 60
            after = ledger(env)
            assert after == {**before, "drift": False}, (before, after)
            # gunicorn starts a new worker; the clerk sends the file again.
            for _ in range(120):
                new = workers_of(server.pid) - {worker}
                if new:
                    break
                time.sleep(0.5)
            assert new
            status, _page = browser.upload(path, "党课.xlsx", data)
            assert status in (200, 302)
            done = ledger(env)
            assert done["activities"] == before["activities"] + ROWS and not done["drift"]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
