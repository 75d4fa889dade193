"""Deadline-day load: N reporters and M viewers at once against `taizhang serve` (gunicorn)
on loopback, for a bounded time.

- Each reporter signs in through the login page and records lectures in turn through the
  new-activity form (a form post with its CSRF token) and through the API (a bearer
  token), pausing 0.5–1.5 s between actions as a clerk does.
- After a warm-up (every worker has served each page), requests are timed for the run.
- Each viewer signs in and opens, in turn, the dashboard, a gap list and the bulletin list
  of their own org; viewers are spread over the province, cities, districts and towns.

It prints throughput and p50/p95/p99 per kind of request, and the errors; then counts the
records written against those the server acknowledged, and runs `stats rebuild --check`.

Run: `make bench-load` (bench/load.sh), or with DATABASE_URL pointing at a database holding
the demo: `.venv/bin/python bench/load.py [--reporters 50] [--viewers 50] [--seconds 60]`.
Prints figures only; nothing here asserts a time."""

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from taizhang.api import tokens  # noqa: E402
from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.models import Campaign  # noqa: E402
from taizhang.ledger.models import Activity  # noqa: E402
from taizhang.orgs import services as org_services  # noqa: E402
from taizhang.orgs.models import Org, OrgKind, Role, User  # noqa: E402

PASSWORD = "load-test-2019"
TITLE = "压测党课"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One signed-in browser: cookies, CSRF, a kept-alive connection to the server."""

    def __init__(self, port):
        self.port, self.cookies, self.conn = port, {}, None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["Host"] = "127.0.0.1"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, data

    def form(self, path, fields):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )

    def sign_in(self, username):
        self.request("GET", "/accounts/login/")
        status, _ = self.form("/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.acknowledged = 0
        self.from_time = 0.0  # samples before this (the warm-up) are not kept

    def timed(self, kind, fn, ok):
        start = time.perf_counter()
        try:
            status, data = fn()
            good = ok(status, data)
        except Exception as exc:  # counted as an error of that kind
            status, good = type(exc).__name__, False
        elapsed = (time.perf_counter() - start) * 1000
        if time.monotonic() < self.from_time:
            return good
        with self.lock:
            self.times[kind].append(elapsed)
            if not good:
                self.errors[f"{kind}: {status}"] += 1
        return good


def setup(reporters, viewers):
    """Users for the run (reporters at villages, viewers spread over the levels) and the
    reporters' API tokens. Made again each run; earlier runs' users are reused."""
    actor = Actor.cli("load test")
    villages = list(
        Org.objects.filter(kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY], active=True)
        .order_by("path")
        .values_list("pk", flat=True)[: reporters * 40 : 40]
    )
    levels = [OrgKind.PROVINCE_COMMITTEE, OrgKind.CITY_COMMITTEE, OrgKind.DISTRICT, OrgKind.TOWN]
    places = []
    for kind in levels:
        places += list(Org.objects.filter(kind=kind, active=True).order_by("path")[:viewers])
    rng = random.Random(2019)
    people = []
    for n, org_id in enumerate(villages[:reporters]):
        people.append(
            (
                "reporter",
                _user(actor, f"load-reporter-{n}", Org.objects.get(pk=org_id), Role.REPORTER),
            )
        )
    for n in range(viewers):
        level = places_of(places, levels, n)
        org = rng.choice(level)
        people.append(("viewer", _user(actor, f"load-viewer-{n}", org, Role.VIEWER)))
    secrets = {}
    for role, user in people:
        if role == "reporter":
            _token, secret = tokens.create_token(
                Actor.web(user), name="压测", read_only=False, days=1
            )
            secrets[user.username] = secret
    return people, secrets


def places_of(places, levels, n):
    kind = levels[n % len(levels)]
    found = [p for p in places if p.kind == kind]
    return found or places


def _user(actor, username, org, role):
    user = User.objects.filter(username=username).first()
    if user is None:
        return org_services.create_user(
            actor, username=username, password=PASSWORD, org=org, role=role
        )
    user.org, user.role = org, role
    user.set_password(PASSWORD)
    user.save()
    return user


def reporter(port, user, secret, until, recorder, rng):
    session = Session(port)
    session.sign_in(user.username)
    api = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    n = 0
    while time.monotonic() < until:
        n += 1
        day = f"2019-11-{rng.randint(1, 28):02d}"
        title = f"{TITLE}-{user.username}-{n}"
        if n % 2:

            def post_form(day=day, title=title):
                session.request("GET", "/ledger/new/?kind=party_lecture")
                return session.form(
                    "/ledger/new/?kind=party_lecture",
                    {"org": user.org.code, "starts_on": day, "title": title,
                     "count": "1", "lecturer_role": "member", "participants": "30"},
                )  # fmt: skip

            if recorder.timed("write: form post", post_form, lambda s, d: s == 302):
                with recorder.lock:
                    recorder.acknowledged += 1
        else:
            body = json.dumps(
                {"org": user.org.code, "kind": "party_lecture", "starts_on": day,
                 "title": title, "lecturer_role": "member", "participants": 30}
            )  # fmt: skip
            if recorder.timed(
                "write: API create",
                lambda body=body: session.request("POST", "/api/v1/activities/", body, api),
                lambda s, d: s == 201,
            ):
                with recorder.lock:
                    recorder.acknowledged += 1
        time.sleep(rng.uniform(0.5, 1.5))


def viewer(port, user, until, recorder, rng):
    session = Session(port)
    session.sign_in(user.username)
    org = user.org_id
    pages = [
        ("read: dashboard", f"/stats/orgs/{org}/"),
        ("read: gap list", f"/stats/orgs/{org}/gaps/party_lecture_coverage/"),
        ("read: bulletins", f"/bulletins/?org={org}"),
    ]
    n = 0
    while time.monotonic() < until:
        kind, path = pages[n % len(pages)]
        n += 1
        recorder.timed(kind, lambda path=path: session.request("GET", path), lambda s, d: s == 200)
        time.sleep(rng.uniform(0.5, 1.5))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port, workers):
    server = subprocess.Popen(
        [sys.executable, "-m", "taizhang.cli", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-worker"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server did not start: {server.stderr.read()[-2000:]}")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--no-check", action="store_true", help="skip `stats rebuild --check`")
    parser.add_argument("--warm-up", type=int, default=10, help="seconds run before measuring")
    args = parser.parse_args()
    if Campaign.objects.current() is None:
        sys.exit("No demo here: run `taizhang demo --scale 30` first (or bench/load.sh).")
    people, secrets = setup(args.reporters, args.viewers)
    before = Activity.objects.filter(title__startswith=TITLE).count()
    port = free_port()
    server = serve(port, args.workers)
    recorder = Recorder()
    recorder.from_time = time.monotonic() + args.warm_up
    until = recorder.from_time + args.seconds
    threads = []
    for n, (role, user) in enumerate(people):
        rng = random.Random(n)
        if role == "reporter":
            target = (port, user, secrets[user.username], until, recorder, rng)
            threads.append(threading.Thread(target=reporter, args=target))
        else:
            threads.append(threading.Thread(target=viewer, args=(port, user, until, recorder, rng)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - recorder.from_time
    server.terminate()
    server.wait(30)

    print(
        f"{args.reporters} reporters and {args.viewers} viewers for {args.seconds} s against "
        f"gunicorn ({args.workers} workers) on loopback, {Org.objects.count():,} orgs, "
        f"{Activity.objects.count():,} records:"
    )
    total = sum(len(t) for t in recorder.times.values())
    print(f"  requests: {total:,} in {elapsed:.0f} s ({total / elapsed:.1f}/s)")
    for kind in sorted(recorder.times):
        t = recorder.times[kind]
        print(
            f"  {kind:<20} n {len(t):>6}  {len(t) / elapsed:6.1f}/s  p50 {statistics.median(t):7.1f} ms"
            f"  p95 {percentile(t, 0.95):7.1f} ms  p99 {percentile(t, 0.99):7.1f} ms"
        )
    errors = sum(recorder.errors.values())
    print(
        f"  errors: {errors}"
        + "".join(f"\n    {k}: {n}" for k, n in sorted(recorder.errors.items()))
    )
    written = Activity.objects.filter(title__startswith=TITLE).count() - before
    print(
        f"  records acknowledged {recorder.acknowledged:,}, written {written:,}: "
        f"{'none lost' if written == recorder.acknowledged else 'DIFFERENT'}"
    )
    if not args.no_check:
        call_command("stats", "rebuild", "--check")


if __name__ == "__main__":
    main()
