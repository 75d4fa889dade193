from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_move_reading_to_study")]

    operations = [
        migrations.AddField(
            model_name="target",
            name="campaign",
            field=models.ForeignKey(
                null=True,
                on_delete=models.CASCADE,
                related_name="targets",
                to="campaigns.campaign",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="code",
            field=models.SlugField(default="", max_length=60, verbose_name="code"),
        ),
    ]
