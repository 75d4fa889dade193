"""Bulletins of large subtrees (a province's), written in the background."""

import datetime

from django.conf import settings
from django.urls import reverse

from taizhang.audit.services import Actor
from taizhang.bulletins import services
from taizhang.bulletins.template import load, templates_of
from taizhang.campaigns.models import Campaign
from taizhang.jobs.models import Stage
from taizhang.jobs.services import register
from taizhang.orgs.access import get_org
from taizhang.stats.coverage import org_counts
from taizhang.stats.periods import date_range


def in_background(org) -> bool:
    """Whether a bulletin for `org`'s subtree is large enough to write in the background."""
    return org_counts([org], []).get(org.pk, 0) > settings.BULLETIN_BACKGROUND_ORGS


def params(campaign, template_code, org, period) -> dict:
    return {
        "campaign": campaign.pk,
        "template": template_code,
        "org": org.pk,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


@register("bulletins.generate")
def generate(job, progress):
    """The draft as `services.generate` writes it, with the user's rights at run time."""
    campaign = Campaign.objects.get(pk=job.params["campaign"])
    org = get_org(job.user, job.params["org"])
    template = templates_of(campaign)[job.params["template"]]
    period = date_range(
        datetime.date.fromisoformat(job.params["start"]),
        datetime.date.fromisoformat(job.params["end"]),
    )
    progress.stage(Stage.WRITING)
    bulletin = services.generate(
        Actor.web(job.user), load(template), campaign=campaign, org=org, period=period
    )
    return {"bulletin": str(bulletin), "url": reverse("bulletins:detail", args=[bulletin.pk])}
