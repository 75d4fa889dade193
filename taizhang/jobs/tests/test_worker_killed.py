"""A worker process killed in the middle of an import: nothing of the file is written, the
totals equal the records, the job shows as failed with the reason, and run again it
succeeds. It runs real processes (`taizhang worker`) on a database of its own: a SQLite
file, or a new database on the PostgreSQL server the suite runs on."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.SOURCE_DIR)
ROWS = 60_000


@pytest.fixture
def installation():
    """The environment of an installation with a fresh, migrated database."""
    folder = tempfile.mkdtemp(prefix="taizhang-kill-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TAIZHANG_HOME"] = folder
    dropped = None
    if connection.vendor == "postgresql":
        name = f"taizhang_kill_{uuid.uuid4().hex[:8]}"
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/{name}"
        dropped = (params, name)
    run(env, "manage.py", "migrate", "-v", "0")
    yield env
    if dropped:
        params, name = dropped
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env, *args):
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def scenario(env, command, argument):
    return run(env, "-m", "taizhang.jobs.tests.scenario", command, str(argument))


def worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "taizhang.cli", "worker", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def job_row(env, job):
    """The job's state and stage, read straight from its database (as often as needed,
    without starting Django)."""
    query = f"SELECT state, stage FROM jobs_job WHERE id = {int(job)}"
    if "DATABASE_URL" in env:
        with psycopg.connect(env["DATABASE_URL"]) as db:
            return db.execute(query).fetchone()
    path = Path(env["TAIZHANG_HOME"], "taizhang.sqlite3")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(query).fetchone()


def wait_for(env, job, process, condition, seconds=300):
    deadline = time.monotonic() + seconds
    while not condition(*job_row(env, job)):
        assert time.monotonic() < deadline, f"job {job}: {job_row(env, job)}"
        assert process.poll() is None, process.stderr.read().decode()[-3000:]
        time.sleep(0.05)


@pytest.mark.django_db
def test_a_worker_killed_mid_import_writes_nothing_and_the_job_can_run_again(installation):
    env = installation
    job = int(scenario(env, "setup", ROWS).splitlines()[-1])
    before = json.loads(scenario(env, "state", job))
    process = worker(env)
    try:
        wait_for(env, job, process, lambda state, stage: stage == "writing")
        time.sleep(0.3)  # into the records' transaction
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    after = json.loads(scenario(env, "state", job))  # the page's sweep marks it failed
    assert after["state"] == "failed"
    assert after["activities"] == before["activities"]
    assert after["drift"] is False
    assert "已停止" in after["failure"]

    assert scenario(env, "retry", job) == "queued"
    process = worker(env)
    try:
        wait_for(env, job, process, lambda state, stage: state not in ("queued", "running"))
    finally:
        process.terminate()
        process.wait(timeout=60)
    done = json.loads(scenario(env, "state", job))
    assert done["state"] == "succeeded", done
    assert done["activities"] == before["activities"] + ROWS
    assert done["drift"] is False
