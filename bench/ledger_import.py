"""Benchmark: the full activity import (read, validation, writes, history) for 10,000 and
100,000 rows, next to the bare read of the same file by python-calamine; and the demo's
generation time at scale 1 (bench/run.sh times larger scales).

Run: `make bench` (a throwaway PostgreSQL when one can be started, else SQLite), or
     `.venv/bin/python bench/ledger_import.py [--rows N …]` with DATABASE_URL set.
Prints figures only; nothing here asserts a time."""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.models import Campaign  # noqa: E402
from taizhang.demo import ningbo  # noqa: E402
from taizhang.ledger.imports import headers_for, import_activities  # noqa: E402
from taizhang.ledger.models import Activity  # noqa: E402
from taizhang.orgs.models import Org, OrgKind, User  # noqa: E402


def lecture_file(kind, orgs, rows, seed):
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(headers_for(kind))
    for n in range(rows):
        org = rng.choice(orgs)
        day = f"2019-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}"
        sheet.append(
            [
                org.code,
                org.name,
                day,
                "",
                f"专题党课{seed}-{n}",
                rng.randint(1, 3),
                rng.randint(10, 80),
                "",
                "党员",
                "",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not Org.objects.exists():
        seconds, _ = timed(lambda: ningbo.build(scale=1))
        print(
            f"demo generation, scale 1: {seconds:.1f} s ({Activity.objects.count():,} activities)"
        )
    user = User.objects.get(username="ningbo")
    kind = Campaign.objects.current().kinds.get(code="party_lecture")
    orgs = list(Org.objects.filter(kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.BRANCH]))
    for rows in args.rows:
        # Each size runs `--repeat` times on fresh files (the same content twice would be
        # refused as a duplicate); the medians are printed.
        fulls, bares = [], []
        for _ in range(args.repeat):
            data = lecture_file(kind, orgs, rows, seed=time.time_ns())
            bare, _ = timed(
                lambda data=data: (
                    CalamineWorkbook.from_filelike(io.BytesIO(data))
                    .get_sheet_by_index(0)
                    .to_python()
                )
            )
            full, result = timed(
                lambda data=data: import_activities(
                    Actor(user=user, channel="import"), kind, data, "bench.xlsx"
                )
            )
            assert result["created"] == rows
            fulls.append(full)
            bares.append(bare)
        report(f"import {rows:>7,} rows × {len(headers_for(kind))} columns", fulls, bares)
    libreoffice(user, kind, orgs, args.repeat)


def report(label, fulls, bares):
    full, bare = statistics.median(fulls), statistics.median(bares)
    ratios = sorted(f / b for f, b in zip(fulls, bares, strict=True))
    print(
        f"{label}, median of {len(fulls)}: full {full:6.3f} s | calamine bare read "
        f"{bare:6.3f} s | ratio {full / bare:4.1f}× (runs {ratios[0]:.1f}–{ratios[-1]:.1f}×; "
        "goal ≤ 10×)"
    )


def libreoffice(user, kind, orgs, repeat):
    """The city office's own template filled in (4 rows, or 10,000) and saved again by
    LibreOffice, as a clerk's office software would: imported in the time of reading it."""
    from openpyxl import load_workbook

    from taizhang.ledger.imports import template
    from taizhang.tests import producers

    if producers.soffice() is None:
        print("LibreOffice not installed: the LibreOffice-saved files were not timed.")
        return
    for rows in (4, 10_000):
        sources = {}
        for n in range(repeat):
            book = load_workbook(io.BytesIO(template(user, kind)))
            sheet = book["数据"]
            rng = random.Random(time.time_ns())
            for i in range(rows):
                org = rng.choice(orgs)
                day = f"2019-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}"
                sheet.append(
                    [
                        org.code,
                        org.name,
                        day,
                        "",
                        f"LO{n}-{i}-{time.time_ns()}",
                        1,
                        30,
                        "",
                        "党员",
                        "",
                        "",
                    ]
                )
            buffer = io.BytesIO()
            book.save(buffer)
            sources[f"f{n}"] = buffer.getvalue()
        fulls, bares = [], []
        for data in producers.libreoffice_saves(sources, "xlsx").values():
            bare, _ = timed(
                lambda data=data: (
                    CalamineWorkbook.from_filelike(io.BytesIO(data))
                    .get_sheet_by_name("数据")
                    .to_python()
                )
            )
            full, result = timed(
                lambda data=data: import_activities(
                    Actor(user=user, channel="import"), kind, data, "lo.xlsx"
                )
            )
            assert result["created"] == rows
            fulls.append(full)
            bares.append(bare)
        report(f"LibreOffice-saved template, {rows:>6,} rows", fulls, bares)


if __name__ == "__main__":
    main()
