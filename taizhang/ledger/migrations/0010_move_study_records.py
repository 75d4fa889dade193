"""The study records now belong to the study app (study 0001), which keeps their tables:
the ledger forgets its record of the models and leaves the tables alone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_explain_constraints"),
        ("study", "0001_move_study_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReadingRecord"),
                migrations.DeleteModel(name="ReadingSession"),
                migrations.DeleteModel(name="RoleModel"),
            ]
        ),
    ]
