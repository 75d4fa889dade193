"""Activity imports of large files and exports of long lists, run in the background."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from taizhang.audit.services import Actor, Channel
from taizhang.campaigns.models import ActivityKind, Campaign
from taizhang.jobs.models import Stage
from taizhang.jobs.services import register
from taizhang.ledger import imports, totals
from taizhang.ledger.filtersets import ActivityFilterSet
from taizhang.orgs.scope import Scope


@register("ledger.import")
def import_activities(job, progress):
    kind = ActivityKind.objects.select_related("campaign").get(pk=job.params["kind"])
    actor = Actor(user=job.user, channel=Channel.IMPORT)
    result = imports.import_activities(actor, kind, bytes(job.data), job.filename, progress)
    url = reverse("ledger:list") + f"?kind={kind.code}&source=import"
    return {"created": result["created"], "rows": result["rows"], "url": url}


@register("ledger.export")
def export_activities(job, progress):
    """The list as its user sees it now (their scope at run time, not at the click)."""
    campaign = Campaign.objects.get(pk=job.params["campaign"])
    filters = ActivityFilterSet(QueryDict(job.params["query"]), user=job.user, campaign=campaign)
    activities = filters.qs
    progress.stage("writing", total=job.params["total"])
    job.output = imports.export(activities, Scope.of(job.user), progress)
    job.output_name = "活动台账"
    return {"rows": activities.count()}


@register("ledger.rebuild")
def rebuild_totals(job, progress):
    """`stats rebuild` for the worker: only a superuser's job runs."""
    if not job.user.is_superuser:
        raise PermissionDenied
    progress.stage(Stage.WRITING)
    result = totals.rebuild_everything(job.params.get("check", False))
    return {"drift": result["drift"], "check": job.params.get("check", False)}
