"""The bulletin pages: the office's list, generating a draft, the preview with every figure
linked to its records, editing and issuing, and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang import params
from taizhang.audit.services import Actor
from taizhang.bulletins import jobs, pdf, provenance, services, text
from taizhang.bulletins.access import get_bulletin, readable
from taizhang.bulletins.formats import FORMATS, produce
from taizhang.bulletins.forms import EditForm, GenerateForm, IssueForm, OfficeForm
from taizhang.bulletins.models import BulletinOffice
from taizhang.bulletins.template import load, templates_of
from taizhang.jobs.services import start as start_job
from taizhang.orgs.access import require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.pages import confirm_delete, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.stats.periods import date_range


@login_required
@with_campaign
def bulletin_list(request, campaign):
    org = requested_org(request)
    bulletins = readable(request.user).filter(campaign=campaign).select_related("org", "sector")
    if org is not None:
        bulletins = bulletins.filter(org=org)
    return render(
        request,
        "bulletins/list.html",
        {"page": paginate(request, bulletins), "org": org, "campaign": campaign},
    )


@login_required
@with_campaign
def bulletin_create(request, campaign):
    require_record(request.user)
    user = request.user
    templates = templates_of(campaign)
    if not templates:
        messages.error(request, _("This campaign has no bulletin template."))
        return redirect("bulletins:list")
    form = GenerateForm(
        request.POST or None,
        user=user,
        campaign=campaign,
        templates=list(templates),
        initial={
            "org": user.org.code if user.org_id else "",
            "sector": params.parse_id(request.GET.get("sector")),
            "starts_on": campaign.starts_on,
            "ends_on": min(campaign.ends_on, timezone.localdate()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = date_range(data["starts_on"], data["ends_on"])
        sector = data.get("sector")
        if sector is None and jobs.in_background(data["org"]):
            job = start_job(
                user,
                "bulletins.generate",
                _("Bulletin draft: %(org)s, %(period)s")
                % {"org": data["org"].name, "period": period.label},
                params=jobs.params(campaign, data["template"], data["org"], period),
            )
            return redirect(job)
        try:
            bulletin = services.generate(
                Actor.web(user),
                load(templates[data["template"]]),
                campaign=campaign,
                org=data["org"],
                period=period,
                sector=sector,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft generated: %(what)s.") % {"what": bulletin})
            return redirect("bulletins:detail", bulletin.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Generate a bulletin"),
            "cancel": reverse("bulletins:list"),
            "intro": _(
                "The bulletin is written from the records of the organisation's subtree in "
                "the period; it starts as a draft you can edit before issuing it."
            ),
        },
    )


def _paragraphs(bulletin, links):
    """Sections with each paragraph as (is a sub-heading, [(text, link or None, figure key
    or None), …])."""
    figures = {f.key: f for f in bulletin.figures.all()}
    out = []
    for n, section in enumerate(bulletin.body, start=1):
        paragraphs, sub = [], 0
        for paragraph in section["paragraphs"]:
            if text.is_subheading(paragraph):
                sub += 1
                title = f"（{text.heading_number(sub)}）{paragraph[0]['subheading']}"
                paragraphs.append((True, [(title, None, None)]))
                continue
            parts = []
            for segment in paragraph:
                if "slot" in segment:
                    figure = figures.get(segment["slot"])
                    shown = figure.text if figure else ""
                    parts.append((shown, links.get(segment["slot"]), segment["slot"]))
                else:
                    parts.append((segment.get("text", ""), None, None))
            paragraphs.append((False, parts))
        out.append((f"{text.heading_number(n)}、{section['heading']}", paragraphs))
    return out


@login_required
def bulletin_detail(request, pk):
    bulletin = get_bulletin(request.user, pk)
    metrics = {m.code: m for m in bulletin.campaign.metrics.select_related("kind")}
    figures = list(bulletin.figures.select_related("org"))
    links = {f.key: provenance.records_url(f, metrics) for f in figures}
    differing = [] if bulletin.is_draft else provenance.differing(bulletin)
    return render(
        request,
        "bulletins/detail.html",
        {
            "bulletin": bulletin,
            "sections": _paragraphs(bulletin, links),
            "figures": [(f, metrics.get(f.metric), links[f.key]) for f in figures],
            "differing": differing,
            "pdf_available": pdf.soffice() is not None,
            "can_write": request.user.can_record,
        },
    )


@login_required
def bulletin_edit(request, pk):
    bulletin = get_bulletin(request.user, pk)
    require_record(request.user)
    if not bulletin.is_draft:
        messages.error(request, _("An issued bulletin cannot be changed; issue a correction."))
        return redirect("bulletins:detail", pk)
    form = EditForm(
        request.POST or None,
        initial={"title": bulletin.title, "text": services.editable_text(bulletin)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit(Actor.web(request.user), bulletin, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("bulletins:detail", pk)
    return render(
        request,
        "bulletins/edit.html",
        {"form": form, "bulletin": bulletin, "keys": bulletin.figures.order_by("id")},
    )


@login_required
def bulletin_issue(request, pk):
    bulletin = get_bulletin(request.user, pk)
    require_record(request.user)
    if not bulletin.is_draft:
        messages.error(request, _("This bulletin has already been issued."))
        return redirect("bulletins:detail", pk)
    form = IssueForm(
        request.POST or None, bulletin=bulletin, initial={"issued_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue(
                Actor.web(request.user),
                bulletin,
                corrects=form.cleaned_data["corrects"],
                on=form.cleaned_data["issued_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            bulletin.refresh_from_db()
            messages.success(request, _("Issued: %(what)s.") % {"what": bulletin})
            return redirect("bulletins:detail", pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Issue %(what)s") % {"what": bulletin.title},
            "cancel": reverse("bulletins:detail", args=[pk]),
            "intro": _(
                "Issuing gives the bulletin its number for the year and freezes its text and "
                "figures. A later correction is a new issue that names this one."
            ),
        },
    )


@login_required
def bulletin_delete(request, pk):
    bulletin = get_bulletin(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        bulletin,
        services.discard,
        detail=f"{bulletin.org.name} · {bulletin.title}",
        cancel=reverse("bulletins:detail", args=[pk]),
        done=reverse("bulletins:list"),
    )


def download_name(bulletin, fmt):
    number = f"{bulletin.year}-{bulletin.number}" if bulletin.number else "draft"
    return f"bulletin-{bulletin.org.code}-{number}.{fmt}"


@login_required
def bulletin_download(request, pk, fmt):
    bulletin = get_bulletin(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    traditional = request.GET.get("traditional") == "1"
    try:
        data = produce(bulletin, fmt, traditional)
    except pdf.PdfUnavailable:
        messages.error(
            request, _("PDF cannot be made on this server: LibreOffice is not installed.")
        )
        return redirect("bulletins:detail", pk)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{download_name(bulletin, fmt)}"'
    return response


@login_required
@with_campaign
def office_settings(request, campaign):
    """What an office prints on its bulletins (?org=, else the manager's own org)."""
    org = requested_org(request) or request.user.org  # scope before role
    if org is None:
        raise Http404
    require_manage(request.user)
    office = BulletinOffice.objects.filter(org=org).first()
    template = next(iter(templates_of(campaign).values()), None)
    defaults = {"name": f"{org.name}主题教育领导小组办公室", "copies": 60}
    if office is not None:
        defaults = {f: getattr(office, f) for f in OfficeForm.base_fields}
    elif template is not None:
        found = load(template)
        footer = dict(found.footer)
        defaults = {
            "name": found.office.format(org=org.name, period=""),
            "report_to": footer.get("报", ""),
            "send_to": footer.get("送", ""),
            "issue_to": footer.get("发", ""),
            "copies": found.copies,
        }
    form = OfficeForm(request.POST or None, initial=defaults)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_office(Actor.web(request.user), org, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": form.cleaned_data["name"]})
            return redirect(f"{reverse('bulletins:list')}?org={org.pk}")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Bulletin settings of %(org)s") % {"org": org.name},
            "cancel": reverse("bulletins:list"),
            "intro": _(
                "The office's name in the masthead, the recipients in the footer block and "
                "the copies printed, used by every bulletin generated for this organisation "
                "from now on."
            ),
        },
    )
