from django.urls import path

from taizhang.stats import sector_views, views

app_name = "stats"
urlpatterns = [
    path("stats/", views.home, name="home"),
    path("stats/orgs/<int:pk>/", views.org_dashboard, name="org"),
    path("stats/orgs/<int:pk>/gaps/<slug:code>/", views.gaps, name="gaps"),
    path("stats/orgs/<int:pk>/targets/<int:target_pk>/", views.target_progress, name="target"),
    path("stats/orgs/<int:pk>/compare/", views.compare, name="compare"),
]
urlpatterns += [
    path("stats/sectors/<int:pk>/", sector_views.sector_dashboard, name="sector"),
    path("stats/sectors/<int:pk>/gaps/<slug:code>/", sector_views.sector_gaps, name="sector-gaps"),
]
