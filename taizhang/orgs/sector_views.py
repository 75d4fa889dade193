"""Pages of the sector systems (行业系统): the list, one system's members with their
history, joining and leaving, and membership to and from Excel. Their figures are on the
statistics pages (stats/sector_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.downloads import xlsx_response
from taizhang.orgs import sector_imports, sectors
from taizhang.orgs.access import get_sector, get_sector_member, require_manage
from taizhang.orgs.forms import SectorForm, SectorJoinForm, SectorLeaveForm, apply_errors
from taizhang.orgs.models import Sector, SectorMember
from taizhang.orgs.scope import Scope
from taizhang.pagination import paginate
from taizhang.uploads import upload_page


@login_required
@require_GET
def sector_list(request):
    user = request.user
    readable = SectorMember.objects.visible_to(user).current()
    listed = (
        Sector.objects.visible_to(user)
        .select_related("department")
        .annotate(
            shown=Count("members", filter=Q(members__in=readable.values("pk")), distinct=True)
        )
        .order_by("code")
    )
    scope = Scope.of(user)
    page = paginate(request, listed)
    for sector in page.object_list:
        sector.department_shown = scope.shown(sector.department)
    return render(
        request,
        "orgs/sectors.html",
        {"page": page, "can_create": user.can_manage, "can_import": user.can_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sector_create(request):
    require_manage(request.user)
    return _sector_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def sector_edit(request, pk):
    sector = get_sector(request.user, pk)
    if not sectors.may_manage(request.user, sector):
        raise PermissionDenied
    return _sector_form(request, sector)


def _sector_form(request, sector):
    initial = None
    if sector is not None:
        initial = {"code": sector.code, "name": sector.name, "department": sector.department.code}
    form = SectorForm(request.POST or None, initial=initial, instance=sector, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        actor = Actor.web(request.user)
        try:
            if sector is None:
                sector = sectors.create_sector(actor, **fields)
            else:
                sector = sectors.update_sector(actor, sector, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:sector", sector.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("New sector system") if sector is None else _("Edit %(name)s") % {
                "name": sector.name
            },
            "intro": _(
                "A sector system (行业系统) groups units across the districts that one "
                "department answers for. Its users may then read those units' records and "
                "figures."
            ),
            "cancel": reverse("orgs:sectors") if sector is None else reverse(
                "orgs:sector", args=[sector.pk]
            ),
        },
    )  # fmt: skip


@login_required
@require_GET
def sector_detail(request, pk):
    user = request.user
    sector = get_sector(user, pk)
    scope = Scope.of(user)
    members = SectorMember.objects.visible_to(user).filter(sector=sector).select_related("org")
    state = request.GET.get("state", "current")
    if state == "current":
        members = members.filter(left_on__isnull=True)
    elif state == "past":
        members = members.filter(left_on__isnull=False)
    else:
        state = "all"
    if request.GET.get("format") == "xlsx":
        rows = members.select_related("sector").order_by("org__path", "joined_on")
        return xlsx_response(sector_imports.export_members(rows), f"系统成员-{sector.name}")
    page = paginate(request, members.order_by("org__path", "-joined_on"))
    can_manage = sectors.may_manage(user, sector)
    return render(
        request,
        "orgs/sector.html",
        {
            "sector": sector,
            "department": scope.shown(sector.department),
            "page": page,
            "state": state,
            "can_manage": can_manage,
            "join_form": SectorJoinForm(user=user) if can_manage else None,
            "history": Change.objects.of(sector)[:10],
        },
    )


@login_required
@require_POST
def sector_join(request, pk):
    user = request.user
    sector = get_sector(user, pk)
    if not sectors.may_manage(user, sector):
        raise PermissionDenied
    form = SectorJoinForm(request.POST, user=user)
    if form.is_valid():
        try:
            member = sectors.join(
                Actor.web(user), sector, form.cleaned_data["org"], form.cleaned_data["joined_on"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(org)s joined %(sector)s.") % {"org": member.org.name, "sector": sector.name},
            )
            return redirect("orgs:sector", sector.pk)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)
    return redirect("orgs:sector", sector.pk)


@login_required
@require_POST
def sector_leave(request, pk):
    user = request.user
    member = get_sector_member(user, pk)
    if not sectors.may_manage(user, member.sector) or not Scope.of(user).has_org(member.org):
        raise PermissionDenied
    form = SectorLeaveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter a valid date."))
        sectors.leave(Actor.web(user), member, form.cleaned_data["left_on"])
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("%(org)s left %(sector)s.") % {"org": member.org.name, "sector": member.sector.name},
        )
    return redirect("orgs:sector", member.sector_id)


@login_required
@require_GET
def sector_template(request):
    require_manage(request.user)
    return xlsx_response(sector_imports.template(), "行业系统成员导入模板")


@login_required
@require_http_methods(["GET", "POST"])
def sector_import(request):
    require_manage(request.user)
    return upload_page(
        request,
        lambda actor, data, name: sector_imports.import_members(actor, data),
        result_template="orgs/_sector_import_result.html",
        job=("orgs.import", {"what": "sectors"}),
        title=_("Import sector members"),
        template_url=reverse("orgs:sector-template"),
        template_note=_("Chinese headers and an instructions sheet."),
        back_url=reverse("orgs:sectors"),
        back_label=_("Sector systems"),
        steps=[
            _(
                "Fill one row per organisation and system: an empty leaving date makes it a "
                "member, a date ends its membership on that day."
            ),
            _(
                "Upload it. The whole file is checked first; nothing is written unless every row passes."
            ),
        ],
    )
