"""The reader's pages: paste or upload reports, review each with its figures highlighted in
the original text and matched to metrics, confirm them as claims, and one table of every
claim of a period beside the ledger's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang import params
from taizhang.audit.services import Actor
from taizhang.ingest import services
from taizhang.ingest.files import UnreadableFile, read_file
from taizhang.ingest.forms import OrgChoiceForm, ReadForm
from taizhang.ingest.mapping import FOCUS_AREAS
from taizhang.ingest.models import Claim, Report
from taizhang.ingest.reconcile import reconcile
from taizhang.orgs.access import require_record
from taizhang.orgs.forms import apply_errors
from taizhang.pages import confirm_delete, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.params import get_or_404
from taizhang.stats.periods import date_range


def get_report(user, pk) -> Report:
    return get_or_404(Report.objects.visible_to(user).select_related("org", "campaign"), pk)


@login_required
@with_campaign
def report_list(request, campaign):
    org = requested_org(request)
    reports = Report.objects.visible_to(request.user).filter(campaign=campaign)
    if org is not None:
        reports = reports.filter(org=org)
    return render(
        request,
        "ingest/list.html",
        {"page": paginate(request, reports.select_related("org")), "org": org},
    )


@login_required
@with_campaign
def report_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = ReadForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        initial={
            "starts_on": campaign.starts_on,
            "ends_on": min(campaign.ends_on, timezone.localdate()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        documents = [(data["title"], data["text"])] if data["text"].strip() else []
        try:
            for upload in data["files"]:
                documents += read_file(upload.name, upload.read())
        except UnreadableFile as error:
            form.add_error("files", str(error))
        else:
            reports = _read_all(request, form, campaign, documents)
            if reports:
                if len(reports) == 1:
                    return redirect("ingest:detail", reports[0].pk)
                messages.success(request, _("%(n)s reports read.") % {"n": len(reports)})
                return redirect("ingest:list")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Read reports"),
            "cancel": reverse("ingest:list"),
            "intro": _(
                "Taizhang reads every figure in the reports and matches it to the campaign's "
                "metrics; you review them before they are kept as claims. Claims are never "
                "added to the ledger."
            ),
            "multipart": True,
        },
    )


def _read_all(request, form, campaign, documents):
    """One report per document, all or none; the org proposed from each text when none is
    chosen."""
    data, actor = form.cleaned_data, Actor.web(request.user)
    period = date_range(data["starts_on"], data["ends_on"])
    plans = []
    for name, text in documents:
        org = data["org"] or services.propose_org(text, request.user)
        if org is None:
            form.add_error(
                "org", _("%(name)s: no organisation of your scope is named at its top; choose one.")
                % {"name": name or _("The pasted text")},
            )  # fmt: skip
            return []
        plans.append((name, text, org))
    reports = []
    try:
        for name, text, org in plans:
            title = data["title"] if len(plans) == 1 and data["title"] else ""
            reports.append(
                services.read_report(
                    actor,
                    campaign=campaign,
                    org=org,
                    title=title or name,
                    text=text,
                    period=period,
                    file_name=name if name != data["title"] else "",
                )  # fmt: skip
            )
    except ValidationError as error:
        apply_errors(form, error)
        return []
    return reports


def _marked(report, claims):
    """The original text as [(text, kind, claim)]: kind "figure" at each claim, "artifact"
    at each mojibake run or leftover HTML, "" elsewhere."""
    marks = [(c.start, c.end, "figure", c) for c in claims]
    marks += [(start, end, "artifact", kind) for kind, start, end in report.artifacts]
    marks.sort(key=lambda m: m[0])
    out, at, text = [], 0, report.original
    for start, end, kind, what in marks:
        if start < at:
            continue
        out.append((text[at:start], "", None))
        out.append((text[start:end], kind, what))
        at = end
    out.append((text[at:], "", None))
    return out


@login_required
def report_detail(request, pk):
    report = get_report(request.user, pk)
    claims = list(report.claims.select_related("org", "report").order_by("start"))
    metrics = list(report.campaign.metrics.order_by("position"))
    return render(
        request,
        "ingest/detail.html",
        {
            "report": report,
            "segments": _marked(report, claims),
            "rows": reconcile(claims, report.campaign),
            "metrics": metrics,
            "focus_areas": FOCUS_AREAS,
            "can_write": request.user.can_record,
            "org_form": OrgChoiceForm(user=request.user, initial={"org": report.org.code}),
        },
    )


@login_required
@require_POST
def report_confirm(request, pk):
    report = get_report(request.user, pk)
    require_record(request.user)
    chosen = {}
    for claim_id in report.claims.values_list("pk", flat=True):
        value = request.POST.get(f"metric-{claim_id}")
        if value is not None:
            chosen[claim_id] = value
    try:
        n = services.confirm(Actor.web(request.user), report, chosen)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s claims confirmed.") % {"n": n})
    return redirect("ingest:detail", pk)


@login_required
@require_POST
def report_org(request, pk):
    """Tie the report to another org of the user's scope (by its code)."""
    report = get_report(request.user, pk)
    require_record(request.user)
    form = OrgChoiceForm(request.POST, user=request.user)
    if form.is_valid():
        services.reassign(Actor.web(request.user), report, form.cleaned_data["org"])
        messages.success(
            request,
            _("The report now speaks for %(org)s.") % {"org": form.cleaned_data["org"].name},
        )
    else:
        for error in form.errors.get("org", []):
            messages.error(request, error)
    return redirect("ingest:detail", pk)


@login_required
def report_delete(request, pk):
    report = get_report(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        report,
        services.forget,
        detail=f"{report.org.name} · {report.title}",
        cancel=reverse("ingest:detail", args=[pk]),
        done=reverse("ingest:list"),
    )


@login_required
@with_campaign
def claim_table(request, campaign):
    """Every confirmed claim of the reports of a period, by unit, with the differences."""
    org = requested_org(request)
    start = params.parse_date(request.GET.get("date_from", "")) or campaign.starts_on
    end = params.parse_date(request.GET.get("date_to", "")) or campaign.ends_on
    claims = Claim.objects.visible_to(request.user).filter(
        confirmed=True,
        report__campaign=campaign,
        report__starts_on__gte=start,
        report__ends_on__lte=end,
    )
    if org is not None:
        claims = claims.filter(report__org=org)
    claims = list(claims.select_related("org", "report")[:5000])
    rows = reconcile(claims, campaign)
    return render(
        request,
        "ingest/claims.html",
        {
            "page": paginate(request, rows),
            "org": org,
            "start": start,
            "end": end,
            "differing": sum(1 for r in rows if r.agrees is False),
        },
    )


@login_required
def bulletin_check(request, pk):
    """The reader run over a bulletin: its figures typed by hand, not traced to records."""
    from taizhang.bulletins.access import get_bulletin
    from taizhang.ingest.bulletin_check import hand_typed

    bulletin = get_bulletin(request.user, pk)
    return render(
        request, "ingest/bulletin_check.html", {"bulletin": bulletin, "typed": hand_typed(bulletin)}
    )
