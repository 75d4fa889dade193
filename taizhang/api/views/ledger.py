"""Activities through the API: the page's FilterSet for the list; create, change and
delete through the ledger's services (rules, totals and history hold); bulk create of up
to 1,000, checked whole first and written all or nothing."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.api import serializers as api
from taizhang.api.errors import ItemsNotFound, bulk_errors
from taizhang.api.idempotency import idempotent
from taizhang.api.views.base import CAMPAIGN, ApiViewSet, find_org, find_person, find_venue
from taizhang.ledger import services
from taizhang.ledger.filtersets import ActivityFilterSet
from taizhang.ledger.imports import lookup_in_scope
from taizhang.ledger.models import Activity, Source, Venue
from taizhang.orgs.models import Org, Person

REFERENCES = {"venue": Venue, "visited_org": Org, "leader": Person}


def _values(data):
    """The service's field values from validated data, the codes left to resolve."""
    return {k: v for k, v in data.items() if k not in ("org", "kind", *REFERENCES)}


@extend_schema(tags=["activities"])
class ActivityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    """Activities (活动台账) of your scope."""

    serializer_class = api.ActivitySerializer
    filterset_class = ActivityFilterSet
    related = ("org", "kind", "batch", "venue__owner", "visited_org", "leader__org")

    def get_queryset(self):
        return self.prepare(Activity.objects.visible_to(self.request.user))

    def filterset_extra(self):
        return {"campaign": self.campaign()}

    @extend_schema(parameters=[CAMPAIGN])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _kind(self, code):
        campaign = self.campaign()
        kind = campaign.kinds.recordable().select_related("campaign").filter(code=code).first()
        if kind is None:
            raise exceptions.ValidationError({"kind": [_("No such activity kind: %s") % code]})
        return kind

    def _references(self, data):
        user = self.request.user
        return {
            "venue": find_venue(user, data.get("venue")),
            "visited_org": find_org(user, data.get("visited_org")),
            "leader": find_person(user, data.get("leader")),
        }

    @extend_schema(
        request=api.ActivityWriteSerializer,
        responses={201: api.ActivitySerializer},
        parameters=[CAMPAIGN],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        incoming = api.ActivityWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        org = find_org(request.user, data["org"])
        kind = self._kind(data["kind"])
        values = {**_values(data), **self._references(data)}
        activity = services.create_activity(
            self.actor, kind=kind, org=org, source=Source.API, **values
        )
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def _update(self, request, partial):
        activity = self.get_object()
        incoming = api.ActivityUpdateSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        org = find_org(request.user, data["org"]) if data.get("org") else None
        values = _values(data)
        references = self._references(data)
        values.update({name: references[name] for name in REFERENCES if name in data})
        services.update_activity(self.actor, activity, org=org, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(request=api.ActivityUpdateSerializer, responses=api.ActivitySerializer)
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(request=api.ActivityUpdateSerializer, responses=api.ActivitySerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    def perform_destroy(self, instance):
        services.delete_activity(self.actor, instance)

    @extend_schema(
        summary="Record up to 1,000 activities at once, all or nothing",
        request=api.BulkActivitySerializer,
        responses={201: api.BulkResultSerializer},
        parameters=[CAMPAIGN],
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotent
    def bulk(self, request):
        incoming = api.BulkActivitySerializer(data=request.data)
        if not incoming.is_valid():
            return bulk_errors(incoming.errors)
        items = incoming.validated_data["items"]
        resolved, missing, unknown = self._resolve_all(items)
        if missing:
            raise ItemsNotFound(missing)
        if unknown:
            raise services.ItemsRefused(unknown)
        ids = services.create_activities(self.actor, resolved, source=Source.API)
        return Response({"created": len(ids), "ids": ids}, status=status.HTTP_201_CREATED)

    def _resolve_all(self, items):
        """Every code of every item looked up at once (a query per kind of object, not per
        item); returns the (kind, org, values) items and the codes not found in scope."""
        user = self.request.user
        campaign = self.campaign()
        kinds = {k.code: k for k in campaign.kinds.recordable().select_related("campaign")}
        wanted = {"org": Org, **REFERENCES}
        found = {
            name: lookup_in_scope(model, user, {item.get(name) for item in items})
            for name, model in wanted.items()
        }
        resolved, missing, unknown = [], {}, {}
        for index, item in enumerate(items):
            if item["kind"] not in kinds:
                unknown[index] = {"kind": _("No such activity kind: %s") % item["kind"]}
            problems, refs = {}, {}
            for name in wanted:
                code = item.get(name)
                refs[name] = found[name].get(code) if code else None
                if code and refs[name] is None:
                    problems[name] = _("There is no %(what)s with code %(code)s in your scope.") % {
                        "what": wanted[name]._meta.verbose_name,
                        "code": code,
                    }
            if problems:
                missing[index] = problems
            if problems or index in unknown:
                continue
            values = {**_values(item), **{n: refs[n] for n in REFERENCES}}
            resolved.append((kinds[item["kind"]], refs["org"], values))
        return resolved, missing, unknown
