"""Org and people imports, run in the background for large files."""

from django.urls import reverse

from taizhang.audit.services import Actor, Channel
from taizhang.jobs.services import register
from taizhang.orgs import imports


@register("orgs.import")
def import_orgs_or_people(job, progress):
    actor = Actor(user=job.user, channel=Channel.IMPORT)
    if job.params["what"] == "orgs":
        counts = imports.import_orgs(actor, bytes(job.data), progress)
        return {**counts, "url": reverse("orgs:tree")}
    counts = imports.import_people(actor, bytes(job.data), progress)
    return {**counts, "url": reverse("orgs:people")}
