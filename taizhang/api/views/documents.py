"""Bulletins (generate a draft, list, read, download a format) and the reader's claims."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.api import serializers as api
from taizhang.api.idempotency import idempotent
from taizhang.api.views.base import CAMPAIGN, ApiViewSet, find_org
from taizhang.bulletins import services as bulletins
from taizhang.bulletins.access import readable
from taizhang.bulletins.formats import FORMATS, produce
from taizhang.bulletins.models import Bulletin
from taizhang.bulletins.template import load, templates_of
from taizhang.ingest.models import Claim
from taizhang.stats.periods import date_range

FORMAT = OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(FORMATS))


@extend_schema(tags=["bulletins"])
class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Bulletins (简报) of the orgs in your scope: a viewer reads the issued ones."""

    serializer_class = api.BulletinSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator
            return Bulletin.objects.none()
        found = readable(self.request.user).select_related("org", "campaign")
        state = self.request.query_params.get("state")
        if state:
            found = found.filter(state=state[:20])
        org = self.request.query_params.get("org")
        if org:
            found = found.filter(org__code=org[:40])
        return found.prefetch_related("figures")

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=["draft", "issued"]),
            OpenApiParameter("org", OpenApiTypes.STR, description="An org's code."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Generate a draft from the records of an org's subtree",
        request=api.BulletinCreateSerializer,
        responses={201: api.BulletinSerializer},
        parameters=[CAMPAIGN],
    )
    @idempotent
    def create(self, request):
        incoming = api.BulletinCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        org = find_org(request.user, data["org"])
        campaign = self.campaign()
        templates = templates_of(campaign)
        code = data.get("template") or next(iter(templates), None)
        if code not in templates:
            raise exceptions.ValidationError({"template": [_("No such bulletin template.")]})
        if problem := bulletins.period_problem(campaign, data["starts_on"], data["ends_on"]):
            raise exceptions.ValidationError({problem[0]: [problem[1]]})
        bulletin = bulletins.generate(
            self.actor,
            load(templates[code]),
            campaign=campaign,
            org=org,
            period=date_range(data["starts_on"], data["ends_on"]),
        )
        return Response(self.get_serializer(bulletin).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The bulletin as a file",
        parameters=[FORMAT],
        responses={(200, media): OpenApiTypes.BINARY for media in FORMATS.values()},
    )
    @action(detail=True, url_path=r"download/(?P<fmt>[a-z]+)", filter_backends=[])
    def download(self, request, pk=None, fmt=None):
        bulletin = self.get_object()
        if fmt not in FORMATS:
            raise exceptions.NotFound(_("No such format."))
        response = HttpResponse(produce(bulletin, fmt), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="bulletin-{bulletin.pk}.{fmt}"'
        return response


@extend_schema(tags=["claims"])
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Figures read from narrative reports (claims): beside the ledger, never in it."""

    serializer_class = api.ClaimSerializer
    filter_backends = []

    def get_queryset(self):
        claims = Claim.objects.visible_to(self.request.user).select_related("org", "report")
        metric = self.request.query_params.get("metric")
        if metric:
            claims = claims.filter(metric=metric[:60])
        org = self.request.query_params.get("org")
        if org:
            claims = claims.filter(org__code=org[:40])
        return claims.order_by("report_id", "start")

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", OpenApiTypes.STR, description="A metric's code."),
            OpenApiParameter("org", OpenApiTypes.STR, description="An org's code."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
