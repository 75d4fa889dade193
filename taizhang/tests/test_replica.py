"""A streaming replica beside a primary (both throwaway PostgreSQL servers started here, as
the `postgres` user when run as root): read-only requests read from the replica; a record
saved is in the figures read from it at once (synchronous_commit = remote_apply); with the
replica stopped pages still answer, from the primary, and /healthz says so; with the
primary restarting pages answer 503 "暂时无法访问" and recover by themselves."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.SOURCE_DIR)
SCRIPTS = ROOT / "scripts"


def shell(*args):
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(line.split("=", 1) for line in done.stdout.split())


@pytest.fixture
def servers():
    if connection.vendor != "postgresql" or not shutil.which("psql"):
        pytest.skip("replicas are PostgreSQL's: this runs in the suite's PostgreSQL pass")
    primary = shell(str(SCRIPTS / "pg-throwaway.sh"))
    replica = None
    try:
        url = primary["DATABASE_URL"]
        port = url.rsplit(":", 1)[1].split("/", 1)[0]
        # Every commit waits until the replica has applied it.
        subprocess.run(
            ["psql", url, "-q", "-c", "ALTER SYSTEM SET synchronous_standby_names = '*'",
             "-c", "ALTER DATABASE taizhang SET synchronous_commit = remote_apply",
             "-c", "SELECT pg_reload_conf()"],
            check=True, capture_output=True,
        )  # fmt: skip
        replica = shell(str(SCRIPTS / "pg-replica.sh"), port)
        yield primary, replica
    finally:
        if replica:
            subprocess.run([str(SCRIPTS / "pg-replica.sh"), "stop", replica["REPLICA_DIR"]])
        subprocess.run([str(SCRIPTS / "pg-throwaway.sh"), "stop", primary["PG_DIR"]])


def pg_ctl(primary):
    """The commands stopping and starting the primary again, on its own port and socket."""
    folder = primary["PG_DIR"]
    port = primary["DATABASE_URL"].rsplit(":", 1)[1].split("/", 1)[0]
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    owner = "runuser -u postgres -- " if os.geteuid() == 0 else ""
    ctl = f"{owner}{pgbin}/pg_ctl -D {folder}/data -l {folder}/server.log"
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    return f"{ctl} -m fast stop", f"{ctl} -w -t 60 -o '{options}' start"


def test_reads_go_to_a_fresh_replica_and_fall_back_to_the_primary(servers, tmp_path):
    primary, replica = servers
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAIZHANG_")}
    env.update(
        TAIZHANG_HOME=str(tmp_path),
        DATABASE_URL=primary["DATABASE_URL"],
        TAIZHANG_REPLICA_URLS=replica["REPLICA_URL"],
        PRIMARY_STOP=pg_ctl(primary)[0],
        PRIMARY_START=pg_ctl(primary)[1],
        REPLICA_STOP=f"{SCRIPTS / 'pg-replica.sh'} stop {replica['REPLICA_DIR']}",
    )
    replica["REPLICA_DIR"] = ""  # stopped by the scenario
    done = subprocess.run(
        [sys.executable, "-m", "taizhang.tests.replica_scenario"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout)
    # Read-only requests read from the replica; the save itself did not.
    assert seen["dashboard"] == 200 and seen["replica_queries_reading"] > 0
    assert seen["saved"] == 201 and seen["replica_queries_saving"] == 0
    # The record saved is in the figure read from the replica at once.
    assert seen["replica_queries_after"] > 0
    assert seen["after"] == seen["before"] + 1
    up = seen["health_up"]
    assert up["database"]["ok"] and up["replicas"][0]["ok"] and up["replicas"][0]["reading"]
    assert 0 <= up["replicas"][0]["lag_seconds"] < 5
    # The replica stopped: pages answer from the primary, and /healthz says so.
    assert seen["replica_down_page"] == 200
    assert seen["replica_down_figure"] == seen["after"]
    down = seen["health_replica_down"]["replicas"][0]
    assert (down["ok"], down["reading"]) == (False, False)
    assert seen["health_replica_down"]["status"] == "degraded"
    # The primary restarting: a clear 503, then the pages come back with no step by hand.
    assert seen["primary_down_page"] == 503 and seen["primary_down_health"] == 503
    assert seen["primary_back_page"] == 200
    assert seen["primary_back_figure"] == seen["after"]
