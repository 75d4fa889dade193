"""Required reading: which cadres of the focus group (county level and above) have read
every title of the campaign's list at least once."""

from dataclasses import dataclass
from decimal import Decimal

from taizhang.orgs.models import Person
from taizhang.orgs.scope import in_subtree
from taizhang.study.models import ReadingRecord


@dataclass
class ReadingCoverage:
    cadres: int
    done: int
    missing: list  # [(person, [titles not yet read])]

    @property
    def share(self):
        return Decimal(self.done * 100) / self.cadres if self.cadres else None


def reading_coverage(org, campaign):
    titles = list(campaign.readings.all())
    cadres = list(
        Person.objects.focus_group()
        .filter(in_subtree(org), active=True)
        .select_related("org")
        .order_by("org__path", "code")
    )
    read = {}
    records = ReadingRecord.objects.filter(
        person__in=cadres, reading__campaign=campaign
    ).values_list("person_id", "reading_id")
    for person_id, reading_id in records:
        read.setdefault(person_id, set()).add(reading_id)
    missing = []
    for person in cadres:
        left = [t for t in titles if t.pk not in read.get(person.pk, set())]
        if left:
            missing.append((person, left))
    return ReadingCoverage(len(cadres), len(cadres) - len(missing), missing)
