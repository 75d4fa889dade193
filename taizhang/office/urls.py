from django.urls import path

from taizhang.office.views import commitments, notices, supervision

app_name = "office"

urlpatterns = [
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/new/", commitments.commitment_create, name="commitment-create"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment"),
    path(
        "commitments/<int:pk>/items/<int:item>/link/",
        commitments.commitment_link,
        name="commitment-link",
    ),
    path(
        "commitments/<int:pk>/withdraw/",
        commitments.commitment_withdraw,
        name="commitment-withdraw",
    ),  # fmt: skip
    path("evidence/<int:pk>/unlink/", commitments.evidence_unlink, name="evidence-unlink"),
    path("supervision/", supervision.group_list, name="groups"),
    path("supervision/new/", supervision.group_create, name="group-create"),
    path("supervision/<int:pk>/", supervision.group_detail, name="group"),
    path("supervision/<int:pk>/visits/new/", supervision.visit_create, name="visit-create"),
    path("visits/", supervision.visit_list, name="visits"),
    path("visits/<int:pk>/", supervision.visit_detail, name="visit"),
    path("visits/<int:pk>/delete/", supervision.visit_delete, name="visit-delete"),
    path("findings/<int:pk>/problem/", supervision.finding_problem, name="finding-problem"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_create, name="notice-create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/reply/", notices.notice_reply, name="notice-reply"),
    path("notices/<int:pk>/remind/", notices.notice_remind, name="notice-remind"),
    path("notices/<int:pk>/export/", notices.notice_export, name="notice-export"),
    path("attachments/<int:pk>/", notices.attachment_download, name="attachment"),
]
