"""Orgs (the tree, a subtree, one by code) with their figures and gap lists; people;
venues. Read only: the tree is kept on its pages and imports."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.api import serializers as api
from taizhang.api.pagination import Pagination
from taizhang.api.views.base import CAMPAIGN, PERIOD, ApiViewSet, with_parent_codes
from taizhang.campaigns.models import Aggregate
from taizhang.ledger.filtersets import VenueFilterSet
from taizhang.ledger.models import Venue
from taizhang.orgs.filtersets import OrgFilterSet, PersonFilterSet
from taizhang.orgs.models import Org, Person
from taizhang.orgs.scope import in_subtree
from taizhang.stats import coverage, dashboard, figures, periods
from taizhang.stats.gaps import gap_rows

CODE = r"[^/]+"


class CodeLookup:
    lookup_field = "code"
    lookup_value_regex = CODE


@extend_schema(tags=["orgs"])
class OrgViewSet(CodeLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The orgs of your scope, in tree order."""

    serializer_class = api.OrgSerializer
    filterset_class = OrgFilterSet

    def get_queryset(self):
        return with_parent_codes(Org.objects.visible_to(self.request.user)).order_by("path")

    def prepare(self, queryset):
        return with_parent_codes(queryset).order_by("path")

    @extend_schema(summary="Direct children of an org, in tree order")
    @action(detail=True)
    def children(self, request, code=None):
        org = self.get_object()
        page = self.paginate_queryset(with_parent_codes(org.children_in_order()).order_by("path"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="An org's whole subtree (itself first), in tree order")
    @action(detail=True)
    def subtree(self, request, code=None):
        org = self.get_object()
        orgs = with_parent_codes(Org.objects.filter(in_subtree(org, "path"))).order_by("path")
        page = self.paginate_queryset(orgs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _period(self, campaign):
        try:
            return periods.parse(campaign, self.request.query_params.get("period", ""))
        except ValueError:
            raise exceptions.ValidationError({"period": [_("Not a period.")]}) from None

    @extend_schema(
        summary="An org's figures for a period (the dashboard's headline)",
        parameters=[CAMPAIGN, PERIOD],
        responses=api.FiguresSerializer,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def figures(self, request, code=None):
        org = self.get_object()
        campaign = self.campaign()
        period = self._period(campaign)
        metrics = dashboard.applicable(dashboard.metrics_of(campaign), org)
        values = figures.figures(metrics, [org], period)[org.pk]
        data = {
            "org": org,
            "campaign": campaign,
            "period": period,
            "figures": [values[m.code] for m in metrics],
        }
        return Response(api.FiguresSerializer(data).data)

    @extend_schema(
        summary="The gap list of a coverage metric: the orgs under this one not yet covered",
        parameters=[
            CAMPAIGN,
            PERIOD,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("metric", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        responses=inline_serializer(
            "GapList",
            {
                "metric": serializers.CharField(),
                "covered": serializers.IntegerField(),
                "eligible": serializers.IntegerField(),
                "count": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "pages": serializers.IntegerField(),
                "results": api.GapSerializer(many=True),
            },
        ),
    )
    @action(
        detail=True,
        url_path=r"gaps/(?P<metric>[\w-]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def gaps(self, request, code=None, metric=None):
        org = self.get_object()
        campaign = self.campaign()
        found = campaign.metrics.select_related("kind", "campaign").filter(code=metric).first()
        if found is None or found.aggregate not in (Aggregate.COVERAGE, Aggregate.DISTINCT_ORGS):
            raise exceptions.NotFound(_("No such coverage metric."))
        period = self._period(campaign)
        size = Pagination.page_size
        number = self.request.query_params.get("page", "1")
        if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= 10**9:
            raise exceptions.NotFound(_("No such page."))
        number = int(number)
        ids, total = coverage.gap_ids(found, org, period, offset=(number - 1) * size, limit=size)
        pages = Paginator(range(total), size).num_pages
        if number > pages:
            raise exceptions.NotFound(_("No such page."))
        covered, eligible = coverage.coverage(found, org, period)
        rows = [
            {"org": o, "under": under, "responsible": person}
            for o, under, person in gap_rows(org, ids)
        ]
        return Response(
            {
                "metric": found.code,
                "covered": covered,
                "eligible": eligible,
                "count": total,
                "page": number,
                "pages": pages,
                "results": api.GapSerializer(rows, many=True).data,
            }
        )


@extend_schema(tags=["people"])
class PersonViewSet(CodeLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = api.PersonSerializer
    filterset_class = PersonFilterSet
    related = ("org",)

    def get_queryset(self):
        return self.prepare(Person.objects.visible_to(self.request.user))


@extend_schema(tags=["venues"])
class VenueViewSet(CodeLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = api.VenueSerializer
    filterset_class = VenueFilterSet
    related = ("owner",)

    def get_queryset(self):
        return self.prepare(Venue.objects.visible_to(self.request.user))
