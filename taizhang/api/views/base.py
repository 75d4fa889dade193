"""What every API view shares: the scope in the serializers' context, the actor the
services are called with (the API channel and the token used), the scoped FilterSets, and
the look-up of related objects by code, which answers 404 for a code outside the scope
exactly as for one that does not exist."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, viewsets

from taizhang.api.auth import token_of
from taizhang.audit.services import Actor
from taizhang.campaigns.models import Campaign
from taizhang.ledger.models import Venue
from taizhang.orgs.models import Org, Person
from taizhang.orgs.scope import Scope

CAMPAIGN = OpenApiParameter(
    "campaign", OpenApiTypes.STR, description="A campaign's code (default: the current one)."
)
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="campaign, batch-N, month-YYYY-MM, week-YYYY-Www or YYYY-MM-DD..YYYY-MM-DD.",
)


class ScopedFilterBackend(DjangoFilterBackend):
    """The list's own FilterSet, built on the user's scoped queryset (the pages' one)."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {"data": request.query_params, "user": request.user, **view.filterset_extra()}

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        return view.prepare(filterset.qs)


class ApiViewSet(viewsets.GenericViewSet):
    filter_backends = [ScopedFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"  # a database id; anything else is no such URL
    related = ()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["scope"] = self.scope
        return context

    @property
    def scope(self):
        if not hasattr(self, "_scope"):
            self._scope = Scope.of(self.request.user)
        return self._scope

    @property
    def actor(self):
        return Actor.api(self.request.user, token_of(self.request))

    def filterset_extra(self):
        return {}

    def prepare(self, queryset):
        return queryset.select_related(*self.related) if self.related else queryset

    def campaign(self, required=True):
        code = self.request.query_params.get("campaign")
        campaign = (
            Campaign.objects.filter(code=code[:60]).first() if code else Campaign.objects.current()
        )
        if campaign is None and required:
            raise exceptions.NotFound(_("No such campaign."))
        return campaign


@csrf_exempt  # it writes nothing; a write to no address is a 404 like a read
def not_found(request, *args, **kwargs):
    """The API's 404 for an address it does not have (also for a NUL in the query, answered
    before the language middleware, hence the language chosen here)."""
    with translation.override(translation.get_language_from_request(request)):
        return JsonResponse({"detail": _("No such address in the API.")}, status=404)


def with_parent_codes(orgs):
    """Orgs annotated with their parent's code (one subquery, no query per row)."""
    parent = Org.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Org.steplen)
    )
    return orgs.annotate(parent_code=Subquery(parent.values("code")[:1]))


def _find(queryset, code, message):
    if code in (None, ""):
        return None
    found = queryset.filter(code=str(code)[:40]).first()
    if found is None:
        raise exceptions.NotFound(message % {"code": code})
    return found


def find_org(user, code):
    return _find(
        Org.objects.visible_to(user),
        code,
        _("There is no organisation with code %(code)s in your scope."),
    )


def find_person(user, code):
    return _find(
        Person.objects.visible_to(user).select_related("org"),
        code,
        _("There is no person with number %(code)s in your scope."),
    )


def find_venue(user, code):
    return _find(
        Venue.objects.visible_to(user).select_related("owner"),
        code,
        _("There is no venue with code %(code)s in your scope."),
    )
