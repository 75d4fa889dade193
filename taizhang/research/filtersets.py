"""The one filter of the problem list, shared by its page, its export and the API, built on
the user's scoped queryset: a filter cannot widen the scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang import params
from taizhang.orgs.filtersets import ScopedFilterSet
from taizhang.orgs.models import Person
from taizhang.research.models import (
    Problem,
    ProblemState,
    Rectification,
    RectificationState,
    ResearchReport,
    ResearchTopic,
)


class ProblemFilterSet(ScopedFilterSet):
    """`org` narrows to a subtree (nothing when outside the scope); the state counts of a
    page are taken from `scoped` (the org filter alone)."""

    state = django_filters.ChoiceFilter(
        choices=ProblemState.choices, label=_("State"), empty_label=_("Any state")
    )
    overdue = django_filters.BooleanFilter(
        method="only_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )
    leader = django_filters.CharFilter(method="by_leader", label=_("Leading cadre"), max_length=50)
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="contains", label=_("Title"), max_length=100
    )

    class Meta:
        model = Problem
        fields = []

    def __init__(self, data=None, *, user, **kwargs):
        queryset = Problem.objects.visible_to(user).select_related("org", "leader__org")
        super().__init__(data, user=user, queryset=queryset, **kwargs)

    @property
    def scoped(self):
        """The problems of the org asked for, before the other filters (for the counts)."""
        org = self.data.get("org") if self.data else None
        if not org:
            return self.queryset
        return self.in_org(self.queryset, "org", org)

    def only_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset

    def by_leader(self, queryset, name, value):
        # Only leaders the user may see are matched: a name is no way to probe outside.
        term = value.strip()
        if not term:
            return queryset
        return queryset.filter(
            Q(leader__name__contains=term) | Q(leader__code=term),
            leader__in=Person.objects.visible_to(self.user),
        )


class CampaignFilterSet(ScopedFilterSet):
    """A scoped list of one campaign's records."""

    def __init__(self, data=None, *, user, campaign, **kwargs):
        queryset = self._meta.model.objects.visible_to(user).filter(campaign=campaign)
        super().__init__(data, user=user, queryset=queryset, **kwargs)


class TopicFilterSet(CampaignFilterSet):
    area = django_filters.CharFilter(label=_("Focus area"))

    class Meta:
        model = ResearchTopic
        fields = []


class ReportFilterSet(CampaignFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or topic"))
    topic = django_filters.CharFilter(method="of_topic")

    class Meta:
        model = ResearchReport
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(topic__title__icontains=value))

    def of_topic(self, queryset, name, value):
        topic = params.parse_id(value)
        return queryset.filter(topic_id=topic) if topic else queryset.none()


class RectificationFilterSet(CampaignFilterSet):
    org_path = "village__path"
    state = django_filters.ChoiceFilter(choices=RectificationState.choices, label=_("State"))

    class Meta:
        model = Rectification
        fields = []
