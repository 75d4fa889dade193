"""Public commitments: the list, publishing one, each commitment's items with their
evidence, linking and unlinking evidence, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.ledger.models import Activity
from taizhang.office.access import get_commitment, get_evidence
from taizhang.office.forms import CommitmentForm, EvidenceForm
from taizhang.office.models import Commitment, CommitmentItem
from taizhang.office.services import commitments as services
from taizhang.orgs.access import require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.scope import in_subtree
from taizhang.pages import confirm_delete, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.params import get_or_404
from taizhang.research.models import Problem, ProblemState, ResearchTopic

RECENT = 300  # records offered as evidence, newest first


@login_required
@with_campaign
def commitment_list(request, campaign):
    scope_org = requested_org(request)
    found = Commitment.objects.visible_to(request.user).filter(campaign=campaign)
    if scope_org is not None:
        found = found.filter(in_subtree(scope_org))
    found = found.select_related("org").prefetch_related("items")
    metric = campaign.metrics.filter(kind__source="commitments", aggregate="coverage").first()
    return render(
        request,
        "office/commitments.html",
        {"page": paginate(request, found), "scope_org": scope_org, "metric": metric},
    )


@login_required
@with_campaign
def commitment_create(request, campaign):
    require_record(request.user)
    form = CommitmentForm(
        request.POST or None,
        user=request.user,
        initial={"org": request.user.org.code if request.user.org_id else "",
                 "published_on": campaign.starts_on},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.publish(
                Actor.web(request.user), campaign=campaign, org=data["org"], title=data["title"],
                published_on=data["published_on"], items=services.parse_items(data["items"]),
            )  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Published: %(what)s.") % {"what": commitment})
            return redirect("office:commitment", commitment.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("Publish a commitment"), "cancel": reverse("office:commitments"),
         "intro": _("A leadership team's public commitment (公开承诺) with its items; the records "
                    "that fulfil each item are linked on its page.")},
    )  # fmt: skip


def _offered(commitment):
    """(choices of records the team may link, {choice: record}): the newest activities,
    research topics and solved problems of the team's org."""
    org = commitment.org
    activities = Activity.objects.filter(org=org, kind__campaign=commitment.campaign)
    topics = ResearchTopic.objects.filter(org=org, campaign=commitment.campaign)
    problems = Problem.objects.filter(
        org=org, campaign=commitment.campaign,
        state__in=[ProblemState.RESOLVED, ProblemState.CLOSED],
    )  # fmt: skip
    choices = []
    for prefix, label, rows in (
        ("activity", _("Ledger records"),
         activities.select_related("kind").order_by("-starts_on", "-id")[:RECENT]),
        ("topic", _("Research topics"), topics.order_by("-claimed_on", "-id")[:RECENT]),
        ("problem", _("Problems solved"), problems.order_by("-id")[:RECENT]),
    ):  # fmt: skip
        options = [(f"{prefix}:{r.pk}", _describe(prefix, r)) for r in rows]
        if options:
            choices.append((label, options))
    return choices


def _describe(prefix, record):
    if prefix == "activity":
        return f"{record.starts_on:%Y-%m-%d} {record.kind.name_zh} {record.title}".strip()
    return str(record)


def _record(commitment, value):
    prefix, _sep, pk = (value or "").partition(":")
    org = commitment.org
    models = {
        "activity": Activity.objects.filter(org=org, kind__campaign=commitment.campaign),
        "topic": ResearchTopic.objects.filter(org=org, campaign=commitment.campaign),
        "problem": Problem.objects.filter(org=org, campaign=commitment.campaign),
    }
    if prefix not in models:
        return None
    return models[prefix].filter(pk=pk).first() if pk.isdigit() else None


@login_required
def commitment_detail(request, pk):
    commitment = get_commitment(request.user, pk)
    items = commitment.items.prefetch_related(
        "evidence__activity__kind", "evidence__topic", "evidence__problem"
    )
    groups = []
    for item in items:
        if not groups or groups[-1][0] != item.group:
            groups.append((item.group, []))
        groups[-1][1].append(item)
    fulfilled = sum(1 for item in items if item.evidence.all())
    return render(
        request,
        "office/commitment.html",
        {
            "commitment": commitment,
            "groups": groups,
            "items_total": len(items),
            "fulfilled": fulfilled,
            "form": (
                EvidenceForm(choices=_offered(commitment), auto_id=False)
                if request.user.can_record
                else None
            ),
            "history": Change.objects.of(commitment),
        },
    )


@login_required
@require_POST
def commitment_link(request, pk, item):
    commitment = get_commitment(request.user, pk)
    require_record(request.user)
    item = get_or_404(CommitmentItem.objects.filter(commitment=commitment), item)
    form = EvidenceForm(request.POST, choices=_offered(commitment))
    found = _record(commitment, request.POST.get("record")) if form.is_valid() else None
    if found is None:
        messages.error(request, _("Choose a record of this leadership team."))
        return redirect("office:commitment", commitment.pk)
    try:
        services.link(Actor.web(request.user), item, found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Linked: %(what)s.") % {"what": found})
    return redirect(reverse("office:commitment", args=[commitment.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def evidence_unlink(request, pk):
    evidence = get_evidence(request.user, pk)
    require_record(request.user)
    commitment = evidence.item.commitment
    services.unlink(Actor.web(request.user), evidence)
    messages.success(request, _("Unlinked: %(what)s.") % {"what": evidence})
    return redirect("office:commitment", commitment.pk)


@login_required
def commitment_withdraw(request, pk):
    commitment = get_commitment(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        commitment,
        services.withdraw,
        detail=_("Its items and the evidence linked to them go with it."),
        cancel=reverse("office:commitment", args=[commitment.pk]),
        done=reverse("office:commitments"),
    )
