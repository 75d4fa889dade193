from django.urls import path

from taizhang.study import course_views, views

app_name = "study"
urlpatterns = [
    path("reading/", views.reading, name="reading"),
    path("reading/new/", views.reading_create, name="reading-create"),
    path("reading/classes/", views.class_list, name="classes"),
    path("reading/classes/new/", views.class_create, name="class-create"),
    path("reading/classes/<int:pk>/", views.class_detail, name="class"),
    path("reading/classes/<int:pk>/trainees/", views.class_trainees, name="class-trainees"),
    path("reading/classes/<int:pk>/delete/", views.class_delete, name="class-delete"),
    path("courses/", course_views.course_list, name="courses"),
    path("courses/new/", course_views.course_create, name="course-create"),
    path("courses/<int:pk>/", course_views.course_detail, name="course"),
    path("courses/<int:pk>/media/", course_views.course_media, name="course-media"),
    path("courses/<int:pk>/progress/", course_views.course_progress, name="course-progress"),
    path(
        "courses/<int:pk>/group-viewings/",
        course_views.group_viewing_create,
        name="course-group-viewing",
    ),
    path("role-models/", views.role_model_list, name="role-models"),
    path("role-models/new/", views.role_model_create, name="role-model-create"),
    path("role-models/<int:pk>/delete/", views.role_model_delete, name="role-model-delete"),
]
