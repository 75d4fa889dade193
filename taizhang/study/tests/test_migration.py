"""A database made before the study app existed (study records in the ledger and campaigns
apps) migrates forward with every study record, its history and the totals intact."""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from taizhang.audit.models import Change
from taizhang.campaigns.models import Target
from taizhang.ledger.models import KindTotal
from taizhang.study import services as study
from taizhang.study.models import ReadingClass, ReadingRecord, RoleModel
from taizhang.testing import SYSTEM, build_ledger, build_small_ningbo, build_work

# The last migrations of each app before the move (main at 43981bc).
BEFORE = [
    ("audit", "0001_initial"),
    ("orgs", "0005_explain_constraints"),
    ("campaigns", "0003_explain_constraints"),
    ("ledger", "0009_explain_constraints"),
    ("research", "0005_explain_constraints"),
    ("study", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    if not targets:
        return None
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_study_records():
    work = SimpleNamespace()
    build_small_ningbo(work)
    build_ledger(work)
    build_work(work)
    first, second = list(work.campaign.readings.all())[:2]
    study.record_reading(
        SYSTEM, person=work.zhang, reading=first, finished_on=datetime.date(2019, 9, 30)
    )
    totals_before = sorted(
        KindTotal.objects.values_list("org_id", "kind_id", "count", "participants")
    )
    target_ids = dict(Target.objects.values_list("metric__code", "id"))

    old = migrate(BEFORE)
    try:
        # The old code's view of the same tables: everything is still there.
        Session = old.get_model("ledger", "ReadingSession")
        assert list(
            Session.objects.get(pk=work.reading_class.pk).trainees.values_list("pk", flat=True)
        ) == [work.zhang.pk]
        assert old.get_model("ledger", "RoleModel").objects.filter(pk=work.model.pk).exists()
        # Records and history written by the old code, with the old labels.
        written = old.get_model("ledger", "ReadingRecord").objects.create(
            person_id=work.zhang.pk, reading_id=second.pk, finished_on=datetime.date(2019, 10, 8)
        )
        old.get_model("audit", "Change").objects.create(
            actor_name="old main",
            channel="cli",
            action="create",
            model="ledger.readingrecord",
            object_id=str(written.pk),
            object_repr="张海 · old",
            scope_path=work.haishu.path,
        )
        assert not hasattr(old.get_model("campaigns", "Target"), "code")
    finally:
        migrate(None)

    assert ReadingRecord.objects.filter(person=work.zhang).count() == 2
    moved = ReadingClass.objects.get(pk=work.reading_class.pk)
    assert list(moved.trainees.all()) == [work.zhang]
    assert moved.topics == ["坚定理想信念", "牢记初心使命"]
    assert RoleModel.objects.filter(pk=work.model.pk, title="扎根基层的村书记").exists()
    assert Change.objects.filter(model="study.readingrecord", object_id=str(written.pk)).exists()
    assert Change.objects.filter(model="study.readingclass", object_id=str(moved.pk)).exists()
    assert not Change.objects.filter(model__startswith="ledger.reading").exists()
    # Each target keeps its id and takes its metric's code, as the shipped file names it.
    assert {t.code: t.id for t in Target.objects.all()} == target_ids
    assert (
        sorted(KindTotal.objects.values_list("org_id", "kind_id", "count", "participants"))
        == totals_before
    )
    out = StringIO()
    call_command("stats", "rebuild", "--check", stdout=out)
    assert "drift: 0 rows" in out.getvalue()
    # The moved records are written to as before.
    study.set_trainees(SYSTEM, moved, [work.zhang, work.li])
    assert moved.trainees.count() == 2
