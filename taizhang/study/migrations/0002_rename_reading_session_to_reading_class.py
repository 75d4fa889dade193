"""A reading class (专题读书班) is named ReadingClass, as in the glossary; one row is still one
session (期). The table keeps its name; the trainees table's column follows the model."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("study", "0001_move_study_records"),
        ("campaigns", "0004_move_reading_to_study"),
    ]

    operations = [
        migrations.RenameModel(old_name="ReadingSession", new_name="ReadingClass"),
        migrations.AlterModelOptions(
            name="readingclass",
            options={
                "ordering": ["starts_on", "number", "id"],
                "verbose_name": "reading class",
                "verbose_name_plural": "reading classes",
            },
        ),
        migrations.AlterField(
            model_name="readingclass",
            name="campaign",
            field=models.ForeignKey(
                on_delete=models.PROTECT, related_name="reading_classes", to="campaigns.campaign"
            ),
        ),
        migrations.AlterField(
            model_name="readingclass",
            name="trainees",
            field=models.ManyToManyField(
                blank=True, related_name="reading_classes", to="orgs.person", verbose_name="trainees"
            ),
        ),
    ]
