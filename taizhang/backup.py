"""Backup and restore of a whole installation: the database (records, totals, history,
users, background jobs with their files) and the files folder, as one archive.

- SQLite: a consistent copy through SQLite's own backup API (pages are copied while
  others may still read and write).
- PostgreSQL: `pg_dump --format=custom` (one snapshot of the whole database) and
  `pg_restore`.

The archive (a .tar) holds `manifest.json` (what was saved and the check figures), the
database dump and `files/`. Restoring goes into an empty installation only, then counts
again and compares with the manifest: every table's rows, and every org's totals."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1
FILES_DIR = "files"


class BackupError(Exception):
    pass


def check_figures() -> dict:
    """{"tables": {model label: rows}, "totals": digest of every org's kept totals,
    "orgs_with_totals": n}: what a restore must find again."""
    tables = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            tables[model._meta.label] = model._default_manager.using("default").count()
    from taizhang.ledger.models import KindTotal

    digest = hashlib.sha256()
    rows = (
        KindTotal.objects.using("default")
        .order_by("org__path", "kind__code", "own")
        .values_list("org__code", "kind__campaign__code", "kind__code", "own", "records",
                     "count", "participants", "person_times", "days", "households", "copies")
    )  # fmt: skip
    orgs = set()
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
        orgs.add(row[0])
    return {"tables": tables, "totals": digest.hexdigest(), "orgs_with_totals": len(orgs)}


def _files_folder() -> Path:
    return Path(settings.DATA_DIR) / FILES_DIR


def _pg_params():
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    args = ["-h", s.get("HOST") or "localhost", "-p", str(s.get("PORT") or 5432)]
    args += ["-U", s.get("USER") or "postgres"]
    return args, env, s["NAME"]


def _tool(name):
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} not found: install PostgreSQL's client programs")


def backup(target: Path) -> dict:
    """Write the archive to `target`; return its manifest."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="taizhang-backup-") as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            copy = sqlite3.connect(dump)
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
        elif connection.vendor == "postgresql":
            dump = work / "database.pgdump"
            args, env, name = _pg_params()
            done = subprocess.run(
                [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "-f", str(dump), name],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
        else:
            raise BackupError(f"no backup for the {connection.vendor} database")
        # Counted after the dump, in the same state (a backup is taken while no one writes,
        # or the dump's snapshot is the truth and the figures a check of it).
        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "made_at": timezone.now().isoformat(),
            "database": dump.name,
            "figures": check_figures(),
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            if _files_folder().is_dir():
                archive.add(_files_folder(), arcname=FILES_DIR)
        partial.replace(target)  # a backup cut short never looks like a whole one
    return manifest


def _is_empty():
    from taizhang.ledger.models import Activity
    from taizhang.orgs.models import Org, User

    tables = connection.introspection.table_names()
    if Org._meta.db_table not in tables:
        return True
    return not (Org.objects.exists() or Activity.objects.exists() or User.objects.exists())


def restore(source: Path) -> dict:
    """Restore the archive into this (empty) installation; return {"expected", "found",
    "same"} from comparing the check figures."""
    source = Path(source)
    if not _is_empty():
        raise BackupError(
            "This installation already holds data: restore into an empty one "
            "(a new TAIZHANG_HOME, or a new empty database)."
        )
    try:
        archive = tarfile.open(source)  # noqa: SIM115  closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source}: not a Taizhang backup ({exc})") from None
    with archive, tempfile.TemporaryDirectory(prefix="taizhang-restore-") as work:
        work = Path(work)
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError, AttributeError):
            raise BackupError(f"{source}: no manifest; not a Taizhang backup") from None
        if manifest.get("format") != FORMAT or manifest.get("engine") != connection.vendor:
            raise BackupError(
                f"{source}: a {manifest.get('engine')} backup cannot be restored into "
                f"{connection.vendor}"
            )
        members = [
            m
            for m in archive.getmembers()
            if m.name == manifest["database"] or m.name.startswith(FILES_DIR + "/")
        ]
        archive.extractall(work, members=members, filter="data")
        dump = work / manifest["database"]
        if connection.vendor == "sqlite":
            connections.close_all()
            target = Path(settings.DATABASES["default"]["NAME"])
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            restored = sqlite3.connect(target)
            copy = sqlite3.connect(dump)
            with restored:
                copy.backup(restored)
            copy.close()
            restored.close()
        else:
            args, env, name = _pg_params()
            connections.close_all()
            done = subprocess.run(
                [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner",
                 "--single-transaction", "--exit-on-error", "-d", name, str(dump)],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()[-500:]}")
        if (work / FILES_DIR).is_dir():
            shutil.copytree(work / FILES_DIR, _files_folder(), dirs_exist_ok=True)
    found = check_figures()
    expected = manifest["figures"]
    return {"expected": expected, "found": found, "same": found == expected}
