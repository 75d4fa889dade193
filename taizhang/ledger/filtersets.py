"""The one filter of the activity list, shared by its page, its .xlsx export and the API: a
FilterSet built on the user's scoped queryset, so a filter is written once and cannot widen
the scope (an org outside it filters to nothing)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.models import Activity, Source, Venue, VenueKind, VenueTier
from taizhang.orgs.filtersets import ScopedFilterSet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="kind__code", label=_("Kind"), empty_label=_("All kinds")
    )
    date_from = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label=_("From"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("To"), widget=DATE
    )
    batch = django_filters.ChoiceFilter(
        field_name="batch__number", label=_("Batch"), empty_label=_("All batches")
    )
    source = django_filters.ChoiceFilter(
        choices=Source.choices, label=_("Source"), empty_label=_("All sources")
    )
    q = django_filters.CharFilter(method="search", label=_("Title or topic"))

    class Meta:
        model = Activity
        fields = []

    def __init__(self, data=None, *, user, campaign, **kwargs):
        queryset = Activity.objects.visible_to(user).of_campaign(campaign)
        super().__init__(data, user=user, queryset=queryset, **kwargs)
        self.filters["kind"].extra["choices"] = [
            (k.code, k.name) for k in campaign.kinds.recordable()
        ]
        self.filters["batch"].extra["choices"] = [
            (str(b.number), b.name) for b in campaign.batches.all()
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(topic__icontains=value))


class VenueFilterSet(ScopedFilterSet):
    """Venues the user may see (owned in the scope or above it)."""

    org_path = "owner__path"
    kind = django_filters.ChoiceFilter(choices=VenueKind.choices, label=_("Kind"))
    tier = django_filters.ChoiceFilter(choices=VenueTier.choices, label=_("Tier"))
    q = django_filters.CharFilter(method="search", label=_("Name or code"))

    class Meta:
        model = Venue
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
