"""The rows of a gap list: each org that has not met a coverage metric, where it sits under
the org asked about, and the person responsible (the page, its export and the API)."""

from taizhang.orgs.models import Org, Person


def responsible(org_ids):
    """{org id: the first person listed on the org} — who the office phones."""
    out = {}
    for person in Person.objects.filter(org_id__in=org_ids, active=True).order_by("org_id", "id"):
        out.setdefault(person.org_id, person)
    return out


def gap_rows(org, ids, chunk=2000, scope=None):
    """(gap org, path below `org`, person responsible) in the order of `ids`. With `org`
    None (a sector system's list), the path names the ancestors `scope` may read."""
    for start in range(0, len(ids), chunk):
        yield from _gap_chunk(org, ids[start : start + chunk], scope)


def _gap_chunk(org, ids, scope):
    found = {o.pk: o for o in Org.objects.filter(pk__in=ids)}
    if org is None:
        paths = {p for o in found.values() for p in o.ancestor_paths() if scope.reads_path(p)}
    else:
        paths = {p for o in found.values() for p in o.ancestor_paths() if len(p) > len(org.path)}
    names = dict(Org.objects.filter(path__in=paths).values_list("path", "name"))
    people = responsible(ids)
    rows = []
    for pk in ids:
        o = found[pk]
        trail = [names[p] for p in o.ancestor_paths() if p in names]
        rows.append((o, " / ".join(trail), people.get(pk)))
    return rows
