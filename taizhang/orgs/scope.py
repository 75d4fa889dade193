"""The one scoping rule: what a user may see and name is their org's subtree (the operator
sees everything; a user without an org sees nothing). Everything else is built on this
module: every `visible_to(user)` queryset method, the access helpers, the services' checks,
the ledger's rules, and every subtree filter outside `orgs` (`in_subtree`).

For objects already loaded, a page, an export or a history entry names a linked object (an
org, a person, a venue, a meeting) only when the viewer may open it, and otherwise the
neutral placeholder `OUTSIDE`."""

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


class Scope:
    """The subtree of `user`'s org; `Scope.of(None)` (a system job) and a superuser's scope
    hold everything."""

    def __init__(self, user):
        self.user, self._codes = user, {}
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

    # Querysets

    def q(self, path_field="org__path") -> Q:
        """Rows whose `path_field` (an org's tree path) lies in the scope."""
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
        return self.path is not None and path is not None and path.startswith(self.path)

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
            return self.has_org
        if name == "Person":
            return self.has_person
        if name == "Venue":
            return self.has_venue
        return lambda record: self.has_org(record.org)

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
