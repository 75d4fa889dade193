"""A small installation in its own database, for the tests that run a real worker process
and kill it (test_worker_killed.py): `python -m taizhang.jobs.tests.scenario COMMAND`.

    setup ROWS   the small Ningbo, and a queued import of ROWS lectures in 海曙 (prints the job id)
    state JOB    the job and the ledger, as JSON
    retry JOB    queue the job again, as its user
    ledger 0     the records, the imports and whether the totals hold, as JSON
    lectures ROWS  a file of ROWS lectures in 海曙, to stdout"""

import io
import json
import os
import sys
import types

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402


def lecture_file(kind, orgs, rows):
    from openpyxl import Workbook

    from taizhang.ledger.imports import headers_for

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(headers_for(kind))
    for n in range(rows):
        org = orgs[n % len(orgs)]
        sheet.append(
            [
                org.code,
                org.name,
                f"2019-10-{n % 28 + 1:02d}",
                "",
                f"党课{n}",
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
    return buffer.getvalue()


def setup(rows):
    from taizhang.jobs import services
    from taizhang.testing import build_ledger, build_small_ningbo

    world = types.SimpleNamespace()
    build_small_ningbo(world)
    build_ledger(world)
    kind = world.kinds["party_lecture"]
    orgs = [world.haishu, world.shiqi, world.xinlian]
    data = lecture_file(kind, orgs, rows)
    job = services.start(
        world.bob, "ledger.import", "导入党课", params={"kind": kind.pk}, data=data,
        filename="党课.xlsx",
    )  # fmt: skip
    print(job.pk)


def state(pk):
    from taizhang.jobs import services
    from taizhang.jobs.models import Job
    from taizhang.ledger.models import Activity

    services.sweep()
    job = Job.objects.get(pk=pk)
    try:
        call_command("stats", "rebuild", check=True, stdout=io.StringIO())
        drift = False
    except CommandError:
        drift = True
    print(
        json.dumps(
            {
                "state": job.state,
                "stage": job.stage,
                "failure": job.failure,
                "written": job.written,
                "activities": Activity.objects.count(),
                "drift": drift,
            },
            ensure_ascii=False,
        )
    )


def ledger(_argument):
    """The ledger's records and imports and whether the totals hold, as JSON."""
    from taizhang.ledger.models import Activity, ActivityImport

    try:
        call_command("stats", "rebuild", check=True, stdout=io.StringIO())
        drift = False
    except CommandError:
        drift = True
    found = {"activities": Activity.objects.count(), "imports": ActivityImport.objects.count()}
    print(json.dumps({**found, "drift": drift}))


def lectures(rows):
    """A file of ROWS lectures in 海曙 (its .xlsx bytes on stdout)."""
    from taizhang.campaigns.models import ActivityKind
    from taizhang.orgs.models import Org

    kind = ActivityKind.objects.get(code="party_lecture")
    orgs = list(Org.objects.filter(code__in=["330203", "330203009", "330203009001"]))
    sys.stdout.buffer.write(lecture_file(kind, orgs, rows))


def retry(pk):
    from taizhang.jobs import services
    from taizhang.jobs.models import Job

    job = Job.objects.get(pk=pk)
    print(services.retry(job.user, job).state)


if __name__ == "__main__":
    command, argument = sys.argv[1], int(sys.argv[2])
    commands = {"setup": setup, "state": state, "retry": retry, "ledger": ledger}
    commands["lectures"] = lectures
    commands[command](argument)
