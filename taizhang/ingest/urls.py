from django.urls import path

from taizhang.ingest import views

app_name = "ingest"
urlpatterns = [
    path("reports-read/", views.report_list, name="list"),
    path("reports-read/new/", views.report_create, name="create"),
    path("reports-read/claims/", views.claim_table, name="claims"),
    path("reports-read/<int:pk>/", views.report_detail, name="detail"),
    path("reports-read/<int:pk>/confirm/", views.report_confirm, name="confirm"),
    path("reports-read/<int:pk>/org/", views.report_org, name="org"),
    path("reports-read/<int:pk>/delete/", views.report_delete, name="delete"),
    path("reports-read/bulletin/<int:pk>/", views.bulletin_check, name="bulletin-check"),
]
