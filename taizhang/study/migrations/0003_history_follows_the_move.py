"""The change history names each object by its model's label: entries written before the
move name the old labels, so they are renamed to keep every record's history with it."""

from django.db import migrations

LABELS = {
    "campaigns.reading": "study.reading",
    "ledger.readingrecord": "study.readingrecord",
    "ledger.rolemodel": "study.rolemodel",
    "ledger.readingsession": "study.readingclass",
}


def forwards(apps, schema_editor):
    Change = apps.get_model("audit", "Change")
    for old, new in LABELS.items():
        Change.objects.filter(model=old).update(model=new)


def backwards(apps, schema_editor):
    Change = apps.get_model("audit", "Change")
    for old, new in LABELS.items():
        Change.objects.filter(model=new).update(model=old)


class Migration(migrations.Migration):
    dependencies = [
        ("study", "0002_rename_reading_session_to_reading_class"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
