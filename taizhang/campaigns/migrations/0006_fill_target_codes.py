"""Existing targets take their metric's campaign, and their metric's code as their own code
(with -2, -3 … for a metric's further targets): the shipped definition names its targets
so, and reloading it keeps their ids."""

from django.db import migrations


def forwards(apps, schema_editor):
    Target = apps.get_model("campaigns", "Target")
    taken = set()
    for target in Target.objects.select_related("metric").order_by("id"):
        campaign_id, base = target.metric.campaign_id, target.metric.code
        code, n = base, 1
        while (campaign_id, code) in taken:
            n += 1
            code = f"{base}-{n}"
        taken.add((campaign_id, code))
        target.campaign_id, target.code = campaign_id, code
        target.save(update_fields=["campaign", "code"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_add_target_campaign_and_code")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
