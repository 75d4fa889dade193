"""Read-only summaries of the research records for pages and bulletins."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from taizhang.ledger.models import Activity
from taizhang.orgs.models import Liaison, LiaisonKind, Org, OrgKind, Person
from taizhang.orgs.scope import in_subtree
from taizhang.research.models import Rectification, RectificationState

# The activity kind whose records name the village visited (the campaign definition's code).
FIELD_VISIT = "field_visit"


def rectifications_by_child(org, campaign):
    """[(child, {state: number})] of the lagging villages under each child of `org` (its
    districts, for the city), in tree order; children without any are left out."""
    length = len(org.path) + Org.steplen
    rows = (
        Rectification.objects.filter(in_subtree(org, "village__path"), campaign=campaign)
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


@dataclass
class Adoption:
    """How far an adopting leader has got round the adopted town: its villages and
    communities, and those their field visits have reached."""

    liaison: object
    villages: list
    visited: set

    @property
    def share(self):
        return Decimal(len(self.visited) * 100) / len(self.villages) if self.villages else None

    @property
    def unvisited(self):
        return [v for v in self.villages if v.pk not in self.visited]


def adoption(liaison, campaign, user=None):
    """The adoption coverage of one town adoption (包乡走村): every village and community of
    the town, and those the leader visited (field visits naming the village, with the
    leader on the record). With `user`, only the visits recorded where that user may open
    them count: nobody sees a share computed from records outside their scope."""
    return adoptions([liaison], campaign, user)[liaison.pk]


def adoptions(liaisons, campaign, user=None):
    """{liaison id: Adoption} for many adoptions at once (a page of the liaison list), in
    two queries: the villages and communities directly under the towns, and the leaders'
    field visits naming a village (those `user` may open, when given)."""
    liaisons = list(liaisons)
    towns = {liaison.org.path for liaison in liaisons}
    villages = defaultdict(list)
    if towns:
        places = Org.objects.filter(
            depth__in={len(path) // Org.steplen + 1 for path in towns},
            kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY],
            active=True,
        )
        town_filter = Q()
        for path in towns:
            town_filter |= in_subtree(path, "path")
        for place in places.filter(town_filter).order_by("path"):
            villages[place.path[: -Org.steplen]].append(place)
    kind = campaign.kinds.filter(code=FIELD_VISIT).values_list("pk", flat=True).first()
    visits = defaultdict(set)
    leaders = {liaison.person_id for liaison in liaisons}
    if kind is not None and leaders:
        records = Activity.objects.visible_to(user) if user is not None else Activity.objects
        pairs = records.filter(
            kind_id=kind, leader_id__in=leaders, visited_org__isnull=False
        ).values_list("leader_id", "visited_org_id")
        for leader_id, place_id in pairs.order_by():
            visits[leader_id].add(place_id)
    out = {}
    for liaison in liaisons:
        places = villages[liaison.org.path]
        ids = {v.pk for v in places}
        out[liaison.pk] = Adoption(liaison, places, visits[liaison.person_id] & ids)
    return out


def standing_committee_gaps(org):
    """[(person, what is missing)] for the members of `org`'s standing committee without
    their two liaisons: one city-level unit, and one district, county-level city or zone."""
    wanted = {
        "city_unit": ([OrgKind.CITY_UNIT], _("a city-level unit to guide")),
        "district": ([OrgKind.DISTRICT, OrgKind.DEV_ZONE], _("a district or zone to guide")),
    }
    members = Person.objects.filter(org=org, standing_committee=True, active=True)
    guided = defaultdict(set)
    for person_id, kind in Liaison.objects.filter(
        person__in=members, kind=LiaisonKind.GUIDANCE
    ).values_list("person_id", "org__kind"):
        guided[person_id].add(kind)
    gaps = []
    for person in members.order_by("code"):
        missing = [
            label for kinds, label in wanted.values() if not guided[person.pk].intersection(kinds)
        ]
        if missing:
            gaps.append((person, missing))
    return gaps
