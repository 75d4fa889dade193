from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from taizhang import health, work
from taizhang.orgs import views as org_views

# The Django admin is for the operator only: staff flags alone do not open it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("work/", work.work_home, name="work"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("taizhang.orgs.urls")),
    path("", include("taizhang.ledger.urls")),
    path("", include("taizhang.stats.urls")),
    path("", include("taizhang.research.urls")),
    path("", include("taizhang.study.urls")),
    path("office/", include("taizhang.office.urls")),
    path("", include("taizhang.bulletins.urls")),
    path("", include("taizhang.ingest.urls")),
    path("", include("taizhang.api.token_urls")),
    path("", include("taizhang.jobs.urls")),
    path("api/v1/", include("taizhang.api.urls")),
]

handler500 = "taizhang.middleware.server_error"
