"""Backup, wipe and restore: `taizhang backup FILE` in one installation and `taizhang
restore FILE` in a new empty one give the same rows in every table and the same totals
for every org, with the uploaded files; on SQLite and on PostgreSQL (the suite's pass)."""

import json
import tarfile
from pathlib import Path

from taizhang.tests.installations import new_installation, run

FIGURES = (
    "import django, json; django.setup(); from taizhang.backup import check_figures; "
    "print(json.dumps(check_figures()))"
)


def figures(env):
    env = {**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"}
    return json.loads(run(env, "-c", FIGURES).splitlines()[-1])


def test_a_backup_restored_into_an_empty_installation_is_the_same(tmp_path):
    archive = tmp_path / "台账备份.tar"
    with new_installation(prefix="taizhang-backup-") as source:
        # The small Ningbo with its records and totals, a queued job holding its uploaded
        # file, and a file in the files folder.
        run(source, "-m", "taizhang.jobs.tests.scenario", "setup", "50")
        files = Path(source["TAIZHANG_HOME"]) / "files" / "notices"
        files.mkdir(parents=True)
        (files / "通知.pdf").write_bytes(b"%PDF-1.4 attachment")
        before = figures(source)
        out = run(source, "manage.py", "backup", str(archive))
        assert "Backed up to" in out and "records" in out
        # Restoring over data is refused, and changes nothing.
        refused = run(source, "manage.py", "restore", str(archive), check=False)
        assert refused.returncode != 0 and "already holds data" in refused.stderr
        assert figures(source) == before
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and "files/notices/通知.pdf" in names

    with new_installation(prefix="taizhang-restore-") as target:
        out = run(target, "manage.py", "restore", str(archive))
        assert "differing: 0" in out and "identical" in out, out
        after = figures(target)
        restored = Path(target["TAIZHANG_HOME"]) / "files" / "notices" / "通知.pdf"
        assert restored.read_bytes() == b"%PDF-1.4 attachment"
        check = run(target, "manage.py", "stats", "rebuild", "--check")
        assert "drift: 0 rows" in check
    assert after == before
    assert before["tables"]["ledger.Activity"] > 0 and before["orgs_with_totals"] > 0
    assert before["tables"]["jobs.Job"] == 1


def test_a_file_that_is_no_backup_is_refused_with_nothing_written(tmp_path):
    bad = tmp_path / "not-a-backup.tar"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not our archive")
    with new_installation(prefix="taizhang-restore-") as target:
        done = run(target, "manage.py", "restore", str(bad), check=False)
        assert done.returncode != 0 and "not a Taizhang backup" in done.stderr
        assert figures(target)["tables"]["orgs.Org"] == 0
