"""Liaisons (联系指导) and town adoptions (包乡走村): the list with adoption progress, one liaison's
page, assigning and ending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.services import Actor
from taizhang.ledger.models import Activity
from taizhang.orgs import services as orgs
from taizhang.orgs.access import require_manage
from taizhang.orgs.models import Liaison, LiaisonKind, Person
from taizhang.orgs.scope import in_subtree
from taizhang.pages import form_page, with_campaign
from taizhang.pagination import paginate
from taizhang.research import summaries
from taizhang.research.access import get_liaison
from taizhang.research.forms import LiaisonForm


@login_required
def liaison_create(request):
    require_manage(request.user)
    form = LiaisonForm(
        request.POST or None, user=request.user, initial={"started_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda d: orgs.assign_liaison(Actor.web(request.user), **d),
        lambda liaison: reverse("research:liaison", args=[liaison.pk]),
        title=_("Assign a liaison"),
        cancel=reverse("research:liaisons"),
        intro=_(
            "Each standing committee member guides one city-level unit and one district or "
            "zone; an adopting leader adopts a town and visits every village of it."
        ),
    )


@login_required
@require_POST
def liaison_end(request, pk):
    liaison = get_liaison(request.user, pk)
    require_manage(request.user)
    orgs.end_liaison(Actor.web(request.user), liaison)
    messages.success(request, _("Ended: %(what)s.") % {"what": liaison})
    return redirect("research:liaisons")


@login_required
@with_campaign
def liaison_list(request, campaign):
    user = request.user
    liaisons = Liaison.objects.visible_to(user).select_related("person", "person__org", "org")
    kind = request.GET.get("kind")
    if kind in LiaisonKind.values:
        liaisons = liaisons.filter(kind=kind)
    page = paginate(request, liaisons)
    found = summaries.adoptions(
        [liaison for liaison in page.object_list if liaison.kind == LiaisonKind.ADOPTION],
        campaign,
        user,
    )
    rows = [(liaison, found.get(liaison.pk)) for liaison in page.object_list]
    gaps = summaries.standing_committee_gaps(user.org) if user.org_id else []
    return render(
        request,
        "research/liaisons.html",
        {"page": page, "rows": rows, "kind": kind, "kinds": LiaisonKind.choices, "gaps": gaps},
    )


@login_required
@with_campaign
def liaison_detail(request, pk, campaign):
    liaison = get_liaison(request.user, pk)
    done = (
        Activity.objects.visible_to(request.user)
        .filter(
            kind__campaign=campaign,
            leader=liaison.person,
        )
        .filter(in_subtree(liaison.org) | in_subtree(liaison.org, "visited_org__path"))
        .select_related("kind", "org", "visited_org")
        .order_by("-starts_on", "-id")
    )
    return render(
        request,
        "research/liaison.html",
        {
            "liaison": liaison,
            "adoption": summaries.adoption(liaison, campaign, request.user)
            if liaison.kind == LiaisonKind.ADOPTION
            else None,
            "page": paginate(request, done),
            "others": Liaison.objects.visible_to(request.user)
            .filter(person=liaison.person, person__in=Person.objects.visible_to(request.user))
            .exclude(pk=liaison.pk)
            .select_related("org"),
        },
    )
