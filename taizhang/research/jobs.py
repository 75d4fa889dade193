"""Problem imports, run in the background for large files."""

from django.urls import reverse

from taizhang.audit.services import Actor, Channel
from taizhang.campaigns.models import Campaign
from taizhang.jobs.services import register
from taizhang.research import imports


@register("research.problems.import")
def import_problems(job, progress):
    campaign = Campaign.objects.get(pk=job.params["campaign"])
    actor = Actor(user=job.user, channel=Channel.IMPORT)
    counts = imports.import_problems(actor, campaign, bytes(job.data), progress)
    return {**counts, "url": reverse("research:problems")}
