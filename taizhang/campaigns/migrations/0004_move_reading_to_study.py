"""The required reading's titles now belong to the study app (study 0001), which keeps
their table: campaigns forgets its record of the model and leaves the table alone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_explain_constraints"),
        ("ledger", "0010_move_study_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Reading")]
        ),
    ]
