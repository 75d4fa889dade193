from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from taizhang.api.views.base import not_found
from taizhang.api.views.documents import BulletinViewSet, ClaimViewSet
from taizhang.api.views.ledger import ActivityViewSet
from taizhang.api.views.orgs import OrgViewSet, PersonViewSet, VenueViewSet
from taizhang.api.views.research import ProblemViewSet, ReportViewSet, TopicViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("orgs", OrgViewSet, basename="org")
router.register("people", PersonViewSet, basename="person")
router.register("venues", VenueViewSet, basename="venue")
router.register("activities", ActivityViewSet, basename="activity")
router.register("problems", ProblemViewSet, basename="problem")
router.register("research-topics", TopicViewSet, basename="topic")
router.register("research-reports", ReportViewSet, basename="report")
router.register("bulletins", BulletinViewSet, basename="bulletin")
router.register("claims", ClaimViewSet, basename="claim")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    # Anything else under the API is a JSON 404, never the pages' HTML one.
    re_path(r"^", not_found, name="not-found"),
]
