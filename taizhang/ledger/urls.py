from django.urls import path

from taizhang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("ledger/", views.activity_list, name="list"),
    path("ledger/new/", views.activity_create, name="create"),
    path("ledger/template.xlsx", views.activity_template, name="template"),
    path("ledger/import/", views.activity_import, name="import"),
    path("ledger/<int:pk>/", views.activity_detail, name="detail"),
    path("ledger/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("ledger/<int:pk>/delete/", views.activity_delete, name="delete"),
    path("orgs/<int:pk>/activities/", views.org_activities, name="org"),
    path("venues/", views.venue_list, name="venues"),
    path("venues/new/", views.venue_create, name="venue-create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue-edit"),
]
