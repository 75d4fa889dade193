"""Benchmark of the trust limits (issue 11): the whole demo ledger exported as the city
office manager, through the page, and each file of the malformed corpus refused through the
activity import, each timed with the extra memory it took (peak RSS of a fresh process).

Run: `make bench-trust` (SQLite in a fresh folder; builds the demo first), or
     `.venv/bin/python bench/trust.py` with TAIZHANG_HOME or DATABASE_URL holding the demo.
Prints figures only; nothing here asserts a time."""

import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from taizhang.ledger.models import Activity  # noqa: E402
from taizhang.orgs.models import User  # noqa: E402

CHILD = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
import django; django.setup()
from taizhang.audit.services import Actor
from taizhang.campaigns.models import Campaign
from taizhang.ledger import imports
from taizhang.orgs.models import User
from taizhang.xlsx import ImportRejected
kind = Campaign.objects.current().kinds.get(code="party_lecture")
user = User.objects.get(username="haishu")
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    imports.import_activities(Actor.web(user), kind, data, "x.xlsx")
    outcome = "IMPORTED"
except ImportRejected as rejected:
    outcome = str(rejected.errors[0])[:70]
elapsed = time.perf_counter() - start
extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(f"{elapsed * 1000:8.0f} ms {extra:7.1f} MB  {outcome}")
"""


def export_whole_ledger():
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="ningbo"))
    records = Activity.objects.count()
    start = time.perf_counter()
    response = client.get("/ledger/", {"format": "xlsx"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - start
    print(
        f"whole-ledger export as the city manager: {records} records, "
        f"{len(body) / 2**20:.1f} MB, {elapsed:.1f} s (status {response.status_code})"
    )
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        formulas = sum(
            len(re.findall(rb"<(?:\w+:)?f[\s>/]", archive.read(n)))
            for n in archive.namelist()
            if n.startswith("xl/worksheets/")
        )
    print(f"  formula elements in the file: {formulas}")
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "ledger.xlsx")
            path.write_bytes(body)
            start = time.perf_counter()
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "csv", "--outdir", folder, str(path)],
                check=True,
                capture_output=True,
                timeout=600,
            )
            lines = Path(folder, "ledger.csv").read_text(errors="replace").count("\n")
            print(
                f"  LibreOffice opened it: {lines} lines as CSV in "
                f"{time.perf_counter() - start:.1f} s"
            )


def refuse_corpus():
    from taizhang.campaigns.models import Campaign
    from taizhang.ledger import imports
    from taizhang.tests import corpus

    kind = Campaign.objects.current().kinds.get(code="party_lecture")
    columns = imports.columns_for(kind)
    user = User.objects.get(username="haishu")
    row = imports._example_row(user, kind, columns)
    files = corpus.corpus(
        imports.headers_for(kind),
        row,
        number_column=columns.index("participants"),
        date_column=columns.index("starts_on"),
        text_column=columns.index("title"),
    )
    print("malformed corpus through the activity import (time, extra peak memory, answer):")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            path = Path(folder, "file.xlsx")
            path.write_bytes(data)
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                env={**os.environ},
                timeout=300,
            )
            print(
                f"  {name:38} {len(data) / 1024:8.0f} KB {result.stdout.strip() or result.stderr[-300:]}"
            )


if __name__ == "__main__":
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    export_whole_ledger()
    refuse_corpus()
    print(
        f"bench process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )
