from django.urls import path

from taizhang.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("bulletins/", views.bulletin_list, name="list"),
    path("bulletins/new/", views.bulletin_create, name="create"),
    path("bulletins/office/", views.office_settings, name="office"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="detail"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="edit"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="issue"),
    path("bulletins/<int:pk>/delete/", views.bulletin_delete, name="delete"),
    path("bulletins/<int:pk>/download.<slug:fmt>", views.bulletin_download, name="download"),
]
