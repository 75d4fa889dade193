"""The required reading of a campaign file (its `reading` section), written here for
`campaigns.definition.apply`: titles are kept by their codes, and a title someone has
read cannot be removed."""

from django.utils.translation import gettext as _

from taizhang.study.models import Reading


def apply(campaign, entries) -> list[str]:
    codes = []
    for position, entry in enumerate(entries):
        Reading.objects.update_or_create(
            campaign=campaign,
            code=entry.code,
            defaults={"title": entry.title, "category": entry.category, "position": position},
        )
        codes.append(entry.code)
    problems = []
    for reading in campaign.readings.exclude(code__in=codes):
        if n := reading.records.count():
            problems.append(
                _("Reading %(title)s has %(n)s reading records; it cannot be removed.")
                % {"title": reading.title, "n": n}
            )
        else:
            reading.delete()
    return problems


def summary(campaign):
    return [r.title for r in campaign.readings.all()]


def count(campaign) -> int:
    return campaign.readings.count()
