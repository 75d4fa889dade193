from django.urls import path

from taizhang.research import imports, pages, views

app_name = "research"
urlpatterns = [
    path("work/", pages.work_home, name="work"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_create, name="problem-create"),
    path("problems/import/", imports.problem_import, name="problem-import"),
    path("problems/import/template.xlsx", imports.problem_template, name="problem-template"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/<slug:step>/", views.problem_step, name="problem-step"),
    path("liaisons/", views.liaison_list, name="liaisons"),
    path("liaisons/new/", pages.liaison_create, name="liaison-create"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison"),
    path("liaisons/<int:pk>/end/", pages.liaison_end, name="liaison-end"),
    path("research/topics/", pages.topic_list, name="topics"),
    path("research/topics/new/", pages.topic_create, name="topic-create"),
    path("research/topics/link/<int:activity_pk>/", pages.topic_link, name="topic-link"),
    path("research/reports/", pages.report_list, name="reports"),
    path("research/reports/new/", pages.report_create, name="report-create"),
    path("research/reports/<int:pk>/", pages.report_detail, name="report"),
    path("research/reports/<int:pk>/discuss/", pages.report_discuss, name="report-discuss"),
    path("rectifications/", pages.rectification_list, name="rectifications"),
    path("rectifications/new/", pages.rectification_create, name="rectification-create"),
    path("rectifications/<int:pk>/", pages.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/advance/",
        pages.rectification_advance,
        name="rectification-advance",
    ),
    path("role-models/", pages.role_model_list, name="role-models"),
    path("role-models/new/", pages.role_model_create, name="role-model-create"),
    path("reading/", pages.reading, name="reading"),
    path("reading/new/", pages.reading_create, name="reading-create"),
    path("reading/classes/", pages.session_list, name="sessions"),
    path("reading/classes/new/", pages.session_create, name="session-create"),
    path("reading/classes/<int:pk>/", pages.session_detail, name="session"),
    path("reading/classes/<int:pk>/trainees/", pages.session_trainees, name="session-trainees"),
]
