"""Installations of their own for the tests that run real processes (a worker killed, a
backup restored elsewhere): a SQLite file in a new folder, or a new database on the
PostgreSQL server the suite runs on, migrated."""

import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(settings.SOURCE_DIR)


def run(env, *args, check=True):
    """`python ARGS` in the installation; its output (asserting success unless not `check`)."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()
    return done


@contextmanager
def new_installation(prefix="taizhang-test-", migrate=True):
    """The environment of an installation with a fresh database (migrated unless not)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TAIZHANG_HOME"] = folder
    dropped = None
    if connection.vendor == "postgresql":
        name = f"taizhang_{uuid.uuid4().hex[:10]}"
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/{name}"
        dropped = (params, name)
    try:
        if migrate:
            run(env, "manage.py", "migrate", "-v", "0")
        yield env
    finally:
        if dropped:
            params, name = dropped
            with psycopg.connect(**params, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
