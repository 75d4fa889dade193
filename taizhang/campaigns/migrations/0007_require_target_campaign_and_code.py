from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_fill_target_codes")]

    operations = [
        migrations.AlterField(
            model_name="target",
            name="campaign",
            field=models.ForeignKey(
                on_delete=models.CASCADE, related_name="targets", to="campaigns.campaign"
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="code",
            field=models.SlugField(max_length=60, verbose_name="code"),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                fields=("campaign", "code"), name="unique_target_code"
            ),
        ),
    ]
