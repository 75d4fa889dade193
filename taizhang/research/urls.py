from django.urls import path

from taizhang.research.pages import liaisons, problems, rectifications, reports

app_name = "research"
urlpatterns = [
    path("problems/", problems.problem_list, name="problems"),
    path("problems/new/", problems.problem_create, name="problem-create"),
    path("problems/import/", problems.problem_import, name="problem-import"),
    path("problems/import/template.xlsx", problems.problem_template, name="problem-template"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem"),
    path("problems/<int:pk>/<slug:step>/", problems.problem_step, name="problem-step"),
    path("liaisons/", liaisons.liaison_list, name="liaisons"),
    path("liaisons/new/", liaisons.liaison_create, name="liaison-create"),
    path("liaisons/<int:pk>/", liaisons.liaison_detail, name="liaison"),
    path("liaisons/<int:pk>/end/", liaisons.liaison_end, name="liaison-end"),
    path("research/topics/", reports.topic_list, name="topics"),
    path("research/topics/new/", reports.topic_create, name="topic-create"),
    path("research/topics/link/<int:activity_pk>/", reports.topic_link, name="topic-link"),
    path("research/reports/", reports.report_list, name="reports"),
    path("research/reports/new/", reports.report_create, name="report-create"),
    path("research/reports/<int:pk>/", reports.report_detail, name="report"),
    path("research/reports/<int:pk>/discuss/", reports.report_discuss, name="report-discuss"),
    path("research/reports/<int:pk>/edit/", reports.report_edit, name="report-edit"),
    path("research/reports/<int:pk>/delete/", reports.report_delete, name="report-delete"),
    path("research/topics/<int:pk>/delete/", reports.topic_delete, name="topic-delete"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path("rectifications/new/", rectifications.rectification_create, name="rectification-create"),
    path("rectifications/<int:pk>/", rectifications.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/advance/",
        rectifications.rectification_advance,
        name="rectification-advance",
    ),
]
