"""Activity imports, run in the background for large files."""

from django.urls import reverse

from taizhang.audit.services import Actor, Channel
from taizhang.campaigns.models import ActivityKind
from taizhang.jobs.services import register
from taizhang.ledger import imports


@register("ledger.import")
def import_activities(job, progress):
    kind = ActivityKind.objects.select_related("campaign").get(pk=job.params["kind"])
    actor = Actor(user=job.user, channel=Channel.IMPORT)
    result = imports.import_activities(actor, kind, bytes(job.data), job.filename, progress)
    url = reverse("ledger:list") + f"?kind={kind.code}&source=import"
    return {"created": result["created"], "rows": result["rows"], "url": url}
