"""The one scoping rule: what a user may see and name is their org's subtree (the operator
sees everything; a user without an org sees nothing). Everything else is built on this
module: every `visible_to(user)` queryset method, the access helpers, the services' checks,
the ledger's rules, and every subtree filter outside `orgs` (`in_subtree`).

For objects already loaded, a page, an export or a history entry names a linked object (an
org, a person, a venue, a meeting) only when the viewer may open it, and otherwise the
neutral placeholder `OUTSIDE`.

One widening, for reading only: the users of a sector system's responsible department
(主管部门, `orgs.Sector`) also read the subtrees of the system's current members, wherever
they lie (`reach`). They write nothing there: every write checks `has_org`, which is the
own subtree alone, and users, jobs and notices stay within it (`q_own`)."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Shown where a linked object lies outside the viewer's scope.
OUTSIDE = _("(outside your scope)")
NOTHING = Q(pk__in=[])


def in_subtree(org_or_path, path_field="org__path") -> Q:
    """Rows whose `path_field` lies in the subtree of an org (or of a tree path), the org
    itself included."""
    path = getattr(org_or_path, "path", org_or_path)
    return Q(**{f"{path_field}__startswith": path})


def in_subtrees(paths, path_field="org__path") -> Q:
    """Rows whose `path_field` lies in any of the subtrees at `paths` (none: no row)."""
    q = NOTHING
    for path in paths:
        q |= in_subtree(path, path_field)
    return q


class Scope:
    """The subtree of `user`'s org; `Scope.of(None)` (a system job) and a superuser's scope
    hold everything."""

    def __init__(self, user):
        self.user, self._codes, self._reach = user, {}, None
        if user is None or user.is_superuser:
            self.path, self.above = "", frozenset()
        elif not user.is_authenticated or user.org_id is None:
            self.path, self.above = None, frozenset()
        else:
            self.path, self.above = user.org.path, frozenset(user.org.ancestor_paths())

    @classmethod
    def of(cls, user):
        return cls(user)

    @property
    def is_empty(self):
        return self.path is None

    @property
    def reach(self) -> tuple:
        """The paths of the subtrees read beyond the own one: the current members of the
        sector systems the user's org is the responsible department of (outside the own
        subtree). Read once per user object, so once per request."""
        if self._reach is None:
            if not self.path:
                self._reach = ()
            else:
                cached = getattr(self.user, "_sector_reach", None)
                if cached is None:
                    members = apps.get_model("orgs", "SectorMember").objects.current()
                    paths = members.filter(sector__department_id=self.user.org_id).values_list(
                        "org__path", flat=True
                    )
                    cached = tuple(sorted(p for p in set(paths) if not p.startswith(self.path)))
                    self.user._sector_reach = cached
                self._reach = cached
        return self._reach

    # Querysets

    def q(self, path_field="org__path") -> Q:
        """Rows whose `path_field` (an org's tree path) the user may read: their subtree and
        any sector reach."""
        own = self.q_own(path_field)
        return own | in_subtrees(self.reach, path_field) if self.path and self.reach else own

    def q_own(self, path_field="org__path") -> Q:
        """Rows whose `path_field` lies in the user's own subtree (what they may write)."""
        if self.path is None:
            return NOTHING
        return Q() if self.path == "" else in_subtree(self.path, path_field)

    def q_or_above(self, path_field) -> Q:
        """Rows owned in the scope or by one of the orgs above it (the venues a unit may
        take its members to)."""
        if self.path is None or self.path == "":
            return self.q(path_field)
        return self.q(path_field) | Q(**{f"{path_field}__in": sorted(self.above)})

    # Single objects

    def has_path(self, path) -> bool:
        """In the own subtree: where the user may write."""
        return self.path is not None and path is not None and path.startswith(self.path)

    def reads_path(self, path) -> bool:
        """In the own subtree or the sector reach: what the user may read."""
        return self.has_path(path) or (
            path is not None and self.path is not None and path.startswith(self.reach)
        )

    def reads_org(self, org) -> bool:
        return org is not None and self.reads_path(org.path)

    def reads_all(self, paths) -> bool:
        """Whether every one of the subtrees at `paths` is read whole."""
        return all(self.reads_path(p) for p in paths)

    def has_org(self, org) -> bool:
        return org is not None and self.has_path(org.path)

    def has_person(self, person) -> bool:
        return person is not None and self.has_org(person.org)

    def has_org_or_above(self, org) -> bool:
        """Inside the scope, or one of the orgs above it."""
        return org is not None and (self.has_org(org) or org.path in self.above)

    def has_venue(self, venue) -> bool:
        """A venue (anything with an owning org) owned in the scope or above it."""
        return venue is not None and self.has_org_or_above(venue.owner)

    # What pages show

    def shown(self, obj):
        """`obj` if the user may see it, else the placeholder (None stays None)."""
        if obj is None:
            return None
        return obj if self._check_for(obj)(obj) else OUTSIDE

    def _check_for(self, obj):
        name = type(obj).__name__
        if name == "Org":
            return self.reads_org
        if name == "Person":
            return lambda person: self.reads_org(person.org)
        if name == "Venue":
            return lambda venue: self.has_venue(venue) or self.reads_org(venue.owner)
        return lambda record: self.reads_org(record.org)

    def code_shown(self, model, code):
        """A code of `model` (an org, a person, a venue) as the user may read it: the code,
        or the placeholder when it names something outside the scope. Models without a
        scope or a code (activity kinds) are shown as they are."""
        if code is None or code == "":
            return code
        if isinstance(model, str):
            model = apps.get_model(model)
        manager = model._default_manager
        if not hasattr(manager, "visible_to") or "code" not in {f.name for f in model._meta.fields}:
            return code
        key = (model._meta.label, code)
        if key not in self._codes:
            self._codes[key] = (
                self.path == "" or manager.visible_to(self.user).filter(code=code).exists()
            )
        return code if self._codes[key] else OUTSIDE
