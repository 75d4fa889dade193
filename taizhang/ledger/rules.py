"""The rules every activity obeys, whichever way it arrives (form, import, API, demo).

`check` works on already-resolved objects and makes no query, so an import can run it on
100,000 rows; it returns the cleaned values and the problems found, keyed by field."""

import datetime

from django.utils.translation import gettext as _

from taizhang.campaigns.models import ACTIVITY_FIELDS, NUMBER_FIELDS, NUMBER_MAXIMA
from taizhang.ledger.models import LecturerRole

LECTURER_ROLES = frozenset(LecturerRole.values)
NUMBERS = frozenset(NUMBER_FIELDS)
TEXT_LIMITS = {"title": 200, "topic": 200}


def too_large(maximum):
    return _("must be at most %(n)s") % {"n": f"{maximum:,}"}


def field_label(name):
    if name in ACTIVITY_FIELDS:
        return str(ACTIVITY_FIELDS[name])
    return {
        "org": _("Organisation"),
        "starts_on": _("Start date"),
        "ends_on": _("End date"),
        "title": _("Title"),
        "note": _("Note"),
    }.get(name, name)


def batch_for(batches, org, day):
    return next((b for b in batches if b.covers(day) and b.includes(org)), None)


def check(kind, org, values, *, campaign, batches, scope):
    """Clean `values` (field name → value) for a record of `kind` on `org`.
    Returns (cleaned, errors); cleaned holds every field plus `batch`."""
    errors = {}
    clean = {"org": org, "kind": kind}
    if kind.source:
        errors["kind"] = _("“%(kind)s” is counted from its own records, not entered here") % {
            "kind": kind.name
        }

    if org is None:
        errors["org"] = _("this column is required")
    elif not scope.has_org(org):
        errors["org"] = _("this organisation is outside your scope")
    elif not kind.allows_org(org):
        errors["org"] = _("%(org)s (%(org_kind)s) does not record “%(kind)s”") % {
            "org": org.name,
            "org_kind": org.get_kind_display(),
            "kind": kind.name,
        }

    recorded = kind.fields
    for name in ACTIVITY_FIELDS:
        value = values.get(name)
        present = value is not None and value != ""
        if present and name not in recorded:
            errors[name] = _("“%(kind)s” does not record %(field)s; leave it empty") % {
                "kind": kind.name,
                "field": field_label(name),
            }
            continue
        if not present:
            if recorded.get(name) == "required" and name != "count":
                errors[name] = _("this column is required")
            clean[name] = (
                1 if name == "count" else ("" if name in ("lecturer_role", "topic") else None)
            )
            continue
        if name in NUMBERS:
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = _("expected a whole number")
            elif value < (1 if name == "count" else 0):
                errors[name] = (
                    _("must be 1 or more") if name == "count" else _("must not be negative")
                )
            elif value > NUMBER_MAXIMA[name]:
                errors[name] = too_large(NUMBER_MAXIMA[name])
        elif name == "lecturer_role" and value not in LECTURER_ROLES:
            errors[name] = _("not one of: %(choices)s") % {
                "choices": "、".join(str(c.label) for c in LecturerRole)
            }
        elif name == "topic" and len(value) > TEXT_LIMITS["topic"]:
            errors[name] = _("longer than %(n)s characters") % {"n": TEXT_LIMITS["topic"]}
        elif name == "venue" and not scope.has_venue(value):
            errors[name] = _("this venue is outside your scope")
        elif name in ("visited_org", "leader"):
            target = value if name == "visited_org" else value.org
            if not scope.has_org(target):
                errors[name] = _("outside your scope")
        clean[name] = value

    title = values.get("title") or ""
    if len(title) > TEXT_LIMITS["title"]:
        errors["title"] = _("longer than %(n)s characters") % {"n": TEXT_LIMITS["title"]}
    clean["title"] = title
    clean["note"] = values.get("note") or ""

    starts_on, ends_on = values.get("starts_on"), values.get("ends_on") or values.get("starts_on")
    ends_given = bool(values.get("ends_on"))
    clean["starts_on"], clean["ends_on"], clean["batch"] = starts_on, ends_on, None
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = _("this column is required")
        return clean, errors
    span = {"start": campaign.starts_on, "end": campaign.ends_on}
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if name == "ends_on" and not ends_given:
            continue
        if not campaign.starts_on <= day <= campaign.ends_on:
            errors[name] = _("outside the campaign (%(start)s to %(end)s)") % span
    if ends_on < starts_on:
        errors["ends_on"] = _("before the start date")
    if org is not None and "org" not in errors and "starts_on" not in errors:
        clean["batch"] = batch_for(batches, org, starts_on)
        if clean["batch"] is None:
            errors["starts_on"] = _("%(org)s takes part in no batch on %(day)s (%(batches)s)") % {
                "org": org.name,
                "day": starts_on,
                "batches": "；".join(
                    f"{b.name} {b.starts_on}–{b.ends_on}" for b in batches if b.includes(org)
                )
                or _("no batch includes this kind of organisation"),
            }
    return clean, errors
