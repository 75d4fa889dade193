"""FilterSets of the org app's lists, and the org filter every list shares: each FilterSet
is built on the user's scoped queryset and used by the page, its export and the API alike,
so a filter is written once and cannot widen the scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang import params
from taizhang.orgs.models import Org, OrgKind, Person, Rank, Sector, SectorMember
from taizhang.orgs.scope import in_subtree, in_subtrees


def org_in_scope(user, value):
    """The org named by id `value` if the user may see it, else None."""
    pk = params.parse_id(value)
    return Org.objects.visible_to(user).filter(pk=pk).first() if pk else None


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet over `model.objects.visible_to(user)` with `?org=` narrowing to a subtree
    (`org_path` names the path field): an org outside the scope filters to nothing."""

    org_path = "org__path"
    org = django_filters.CharFilter(method="in_org", widget=forms.HiddenInput)
    sector = django_filters.CharFilter(method="in_sector", widget=forms.HiddenInput)
    under = django_filters.CharFilter(
        method="under_code",
        widget=forms.HiddenInput,
        max_length=40,
        label=_("The code of an org: its subtree only"),
    )

    def __init__(self, data=None, *, user, queryset=None, **kwargs):
        self.user = user
        if queryset is None:
            queryset = self._meta.model.objects.visible_to(user)
        super().__init__(data, queryset=queryset, **kwargs)

    def in_org(self, queryset, name, value):
        org = org_in_scope(self.user, value)
        return queryset.filter(in_subtree(org, self.org_path)) if org else queryset.none()

    def in_sector(self, queryset, name, value):
        """`?sector=` narrows to a sector system's current members' subtrees (a system the
        user may not open filters to nothing; the scope still applies)."""
        pk = params.parse_id(value)
        sector = Sector.objects.visible_to(self.user).filter(pk=pk).first() if pk else None
        if sector is None:
            return queryset.none()
        members = SectorMember.objects.current().filter(sector=sector)
        paths = members.values_list("org__path", flat=True)
        return queryset.filter(in_subtrees(paths, self.org_path))

    def under_code(self, queryset, name, value):
        """`?under=` names the org by its code (the API's way), with the same effect."""
        org = Org.objects.visible_to(self.user).filter(code=value.strip()).first()
        return queryset.filter(in_subtree(org, self.org_path)) if org else queryset.none()


class OrgFilterSet(ScopedFilterSet):
    """The org search of the tree page (and the API's org list)."""

    org_path = "path"
    q = django_filters.CharFilter(method="search", label=_("Name or code"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("Kind"))
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Org
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(code__startswith=value) | Q(short_name__icontains=value)
        )


class PersonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or number"))
    rank = django_filters.ChoiceFilter(
        choices=Rank.choices, label=_("Rank"), empty_label=_("All ranks")
    )
    focus = django_filters.BooleanFilter(
        method="only_focus", label=_("County level and above only"), widget=forms.CheckboxInput
    )
    party = django_filters.ChoiceFilter(
        field_name="is_party_member",
        label=_("Party member"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        empty_label=_("All"),
        method="by_party",
    )

    class Meta:
        model = Person
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
            if value
            else queryset
        )

    def only_focus(self, queryset, name, value):
        return queryset.focus_group() if value else queryset

    def by_party(self, queryset, name, value):
        return queryset.filter(is_party_member=value == "1")
