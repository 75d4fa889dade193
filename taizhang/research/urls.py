from django.urls import path

from taizhang.research import views

app_name = "research"
urlpatterns = [
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_create, name="problem-create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("liaisons/", views.liaison_list, name="liaisons"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison"),
    path(
        "problems/<int:pk>/<slug:step>/",
        views.problem_step,
        name="problem-step",
    ),
]
