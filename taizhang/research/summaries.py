"""Read-only summaries of the research records for pages and bulletins."""

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import Substr

from taizhang.orgs.models import Org
from taizhang.research.models import Rectification, RectificationState


def rectifications_by_child(org, campaign):
    """[(child, {state: number})] of the lagging villages under each child of `org` (its
    districts, for the city), in tree order; children without any are left out."""
    length = len(org.path) + Org.steplen
    rows = (
        Rectification.objects.filter(campaign=campaign, village__path__startswith=org.path)
        .exclude(village_id=org.pk)
        .annotate(branch=Substr("village__path", 1, length))
        .values_list("branch", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = defaultdict(lambda: dict.fromkeys(RectificationState.values, 0))
    for branch, state, n in rows:
        counts[branch][state] = n
    children = Org.objects.filter(path__in=list(counts)).order_by("path")
    return [(child, counts[child.path]) for child in children]
