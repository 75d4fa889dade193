"""Problems and their steps (one POST per step, the page's rules), research topics and
reports (claimed and submitted through the research services)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.api import serializers as api
from taizhang.api.idempotency import idempotent
from taizhang.api.views.base import CAMPAIGN, ApiViewSet, find_org, find_person
from taizhang.research.access import get_topic
from taizhang.research.filtersets import ProblemFilterSet, ReportFilterSet, TopicFilterSet
from taizhang.research.models import Problem
from taizhang.research.services import problems as services
from taizhang.research.services import reports

STEP = {"request": None, "responses": api.ProblemSerializer}


@extend_schema(tags=["problems"])
class ProblemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The problem list (问题清单) of your scope."""

    serializer_class = api.ProblemSerializer
    filterset_class = ProblemFilterSet
    related = ("org", "leader__org")

    def get_queryset(self):
        return self.prepare(Problem.objects.visible_to(self.request.user))

    @extend_schema(
        request=api.ProblemWriteSerializer,
        responses={201: api.ProblemSerializer},
        parameters=[CAMPAIGN],
    )
    @idempotent
    def create(self, request):
        incoming = api.ProblemWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        org = find_org(request.user, data.pop("org"))
        leader = find_person(request.user, data.pop("leader", None))
        problem = services.raise_problem(
            self.actor, campaign=self.campaign(), org=org, leader=leader, **data
        )
        return Response(self.get_serializer(problem).data, status=status.HTTP_201_CREATED)

    def _done(self, problem):
        return Response(self.get_serializer(problem).data)

    @extend_schema(summary="待办 → 整改中", **STEP)
    @action(detail=True, methods=["post"])
    @idempotent
    def start(self, request, pk=None):
        return self._done(services.start(self.actor, self.get_object()))

    @extend_schema(
        summary="整改中 → 已解决", request=api.ResolveSerializer, responses=STEP["responses"]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def resolve(self, request, pk=None):
        problem = self.get_object()
        incoming = api.ResolveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        return self._done(
            services.resolve(self.actor, problem, resolution=data["resolution"], on=data.get("on"))
        )

    @extend_schema(summary="已解决 → 已销号", **STEP)
    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, pk=None):
        return self._done(services.close(self.actor, self.get_object()))

    @extend_schema(
        summary="Reopen, with a reason", request=api.ReopenSerializer, responses=STEP["responses"]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reopen(self, request, pk=None):
        problem = self.get_object()
        incoming = api.ReopenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._done(
            services.reopen(self.actor, problem, reason=incoming.validated_data["reason"])
        )


class CampaignListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    related = ("org", "campaign")

    def filterset_extra(self):
        return {"campaign": self.campaign()}

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        return self.prepare(model.objects.visible_to(self.request.user))

    @extend_schema(parameters=[CAMPAIGN])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["research"])
class TopicViewSet(CampaignListViewSet):
    """Research topics claimed by leaders (领题调研)."""

    serializer_class = api.TopicSerializer
    filterset_class = TopicFilterSet
    related = ("org", "leader__org")

    @extend_schema(
        request=api.TopicWriteSerializer,
        responses={201: api.TopicSerializer},
        parameters=[CAMPAIGN],
    )
    @idempotent
    def create(self, request):
        incoming = api.TopicWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        org = find_org(request.user, data.pop("org"))
        leader = find_person(request.user, data.pop("leader"))
        topic = reports.claim_topic(
            self.actor, campaign=self.campaign(), org=org, leader=leader, **data
        )
        return Response(self.get_serializer(topic).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["research"])
class ReportViewSet(CampaignListViewSet):
    """Research reports (调研报告), each with its four parts."""

    serializer_class = api.ReportSerializer
    filterset_class = ReportFilterSet
    related = ("org", "author__org")

    @extend_schema(
        request=api.ReportWriteSerializer,
        responses={201: api.ReportSerializer},
        parameters=[CAMPAIGN],
    )
    @idempotent
    def create(self, request):
        incoming = api.ReportWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        campaign = self.campaign()
        org = find_org(request.user, data.pop("org"))
        data["author"] = find_person(request.user, data.pop("author", None))
        topic = data.pop("topic", None)
        if topic is not None:
            data["topic"] = get_topic(request.user, topic, campaign)
        report = reports.submit_report(self.actor, campaign=campaign, org=org, **data)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)
