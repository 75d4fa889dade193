"""Org, people and sector membership imports, run in the background for large files."""

from django.urls import reverse

from taizhang.audit.services import Actor, Channel
from taizhang.jobs.services import register
from taizhang.orgs import imports, sector_imports


@register("orgs.import")
def import_orgs_or_people(job, progress):
    actor = Actor(user=job.user, channel=Channel.IMPORT)
    if job.params["what"] == "orgs":
        counts = imports.import_orgs(actor, bytes(job.data), progress)
        return {**counts, "url": reverse("orgs:tree")}
    if job.params["what"] == "sectors":
        counts = sector_imports.import_members(actor, bytes(job.data), progress)
        return {**counts, "url": reverse("orgs:sectors")}
    counts = imports.import_people(actor, bytes(job.data), progress)
    return {**counts, "url": reverse("orgs:people")}
