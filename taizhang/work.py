"""The special-work hub (专项工作): each kind of work beside the ledger, from the research and
study and office apps, with its count in the user's scope. It sits in the project package because it
reads both apps, which do not import each other."""

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from taizhang.office.models import Commitment, SupervisionVisit
from taizhang.orgs.models import Liaison
from taizhang.pages import with_campaign
from taizhang.research.models import (
    Problem,
    Rectification,
    ResearchReport,
    ResearchTopic,
)
from taizhang.study.models import Course, ReadingClass, ReadingRecord, RoleModel


@login_required
@with_campaign
def work_home(request, campaign):
    """专项工作: what there is beside the ledger, with the user's subtree's counts."""
    user = request.user
    sections = [
        (
            _("Problem list"),
            reverse("research:problems"),
            Problem.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s problems"),
        ),
        (
            _("Research topics"),
            reverse("research:topics"),
            ResearchTopic.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s topics claimed"),
        ),
        (
            _("Research reports"),
            reverse("research:reports"),
            ResearchReport.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s reports"),
        ),
        (
            _("Liaisons and town adoption"),
            reverse("research:liaisons"),
            Liaison.objects.visible_to(user).count(),
            _("%(n)s liaisons"),
        ),
        (
            _("Lagging villages"),
            reverse("research:rectifications"),
            Rectification.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s villages"),
        ),
        (
            _("Required reading"),
            reverse("study:reading"),
            ReadingRecord.objects.visible_to(user).filter(reading__campaign=campaign).count(),
            _("%(n)s reading records"),
        ),
        (
            _("Reading classes"),
            reverse("study:classes"),
            ReadingClass.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s sessions"),
        ),
        (
            _("Role models"),
            reverse("study:role-models"),
            RoleModel.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s role models"),
        ),
        (
            _("Online courses"),
            reverse("study:courses"),
            Course.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s courses"),
        ),
        (
            _("Public commitments"),
            reverse("office:commitments"),
            Commitment.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s commitments"),
        ),
        (
            _("Supervision"),
            reverse("office:groups"),
            SupervisionVisit.objects.visible_to(user).filter(group__campaign=campaign).count(),
            _("%(n)s supervision visits"),
        ),
    ]
    sections = [(label, url, unit % {"n": intcomma(n)}) for label, url, n, unit in sections]
    return render(request, "work.html", {"sections": sections, "campaign": campaign})
