"""A worker process killed in the middle of an import: nothing of the file is written, the
totals equal the records, the job shows as failed with the reason, and run again it
succeeds. It runs real processes (`taizhang worker`) on a database of its own: a SQLite
file, or a new database on the PostgreSQL server the suite runs on."""

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from taizhang.tests.installations import ROOT, new_installation, run

ROWS = 60_000


@pytest.fixture
def installation():
    with new_installation(prefix="taizhang-kill-") as env:
        yield env


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
