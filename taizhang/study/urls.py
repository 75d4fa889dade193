from django.urls import path

from taizhang.study import views

app_name = "study"
urlpatterns = [
    path("reading/", views.reading, name="reading"),
    path("reading/new/", views.reading_create, name="reading-create"),
    path("reading/classes/", views.class_list, name="classes"),
    path("reading/classes/new/", views.class_create, name="class-create"),
    path("reading/classes/<int:pk>/", views.class_detail, name="class"),
    path("reading/classes/<int:pk>/trainees/", views.class_trainees, name="class-trainees"),
    path("reading/classes/<int:pk>/delete/", views.class_delete, name="class-delete"),
    path("role-models/", views.role_model_list, name="role-models"),
    path("role-models/new/", views.role_model_create, name="role-model-create"),
    path("role-models/<int:pk>/delete/", views.role_model_delete, name="role-model-delete"),
]
