from django.urls import path

from taizhang.orgs import sector_views, user_views, views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.org_tree, name="tree"),
    path("orgs/template.xlsx", views.org_template, name="template"),
    path("orgs/import/", views.org_import, name="import"),
    path("orgs/lookup/", views.org_lookup, name="lookup"),
    path("orgs/<int:pk>/", views.org_detail, name="detail"),
    path("orgs/<int:pk>/children/", views.org_children, name="children"),
    path("orgs/<int:pk>/new/", views.org_create, name="create"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="edit"),
    path("orgs/<int:pk>/move/", views.org_move, name="move"),
    path("orgs/<int:pk>/export.xlsx", views.org_export, name="export"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/template.xlsx", views.person_template, name="person-template"),
    path("people/import/", views.person_import, name="person-import"),
    path("people/lookup/", views.person_lookup, name="person-lookup"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_create, name="user-create"),
    path("users/<int:pk>/edit/", user_views.user_edit, name="user-edit"),
    path("users/<int:pk>/unlock/", user_views.user_unlock, name="user-unlock"),
]

urlpatterns += [
    path("sectors/", sector_views.sector_list, name="sectors"),
    path("sectors/new/", sector_views.sector_create, name="sector-create"),
    path("sectors/template.xlsx", sector_views.sector_template, name="sector-template"),
    path("sectors/import/", sector_views.sector_import, name="sector-import"),
    path("sectors/<int:pk>/", sector_views.sector_detail, name="sector"),
    path("sectors/<int:pk>/edit/", sector_views.sector_edit, name="sector-edit"),
    path("sectors/<int:pk>/join/", sector_views.sector_join, name="sector-join"),
    path("sectors/members/<int:pk>/leave/", sector_views.sector_leave, name="sector-leave"),
]
