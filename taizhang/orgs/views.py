from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.downloads import xlsx_response
from taizhang.orgs import imports, services
from taizhang.orgs.access import get_org, get_person, require_manage, require_record
from taizhang.orgs.filtersets import OrgFilterSet, PersonFilterSet
from taizhang.orgs.forms import (
    OrgForm,
    OrgMoveForm,
    PersonForm,
)
from taizhang.orgs.models import FOCUS_RANKS, Org, OrgKind, Person, Sector, User
from taizhang.orgs.scope import Scope
from taizhang.pagination import paginate
from taizhang.uploads import upload_page


def _scope_roots(user):
    if user.is_superuser:
        return list(Org.objects.filter(depth=1))
    return [user.org]


def _with_trails(orgs, user):
    """Attach each org's ancestors (within the user's scope) as `trail`, in one query."""
    paths = set()
    for org in orgs:
        paths.update(org.ancestor_paths())
    if not user.is_superuser and user.org_id:
        paths = {p for p in paths if p.startswith(user.org.path)}
    names = dict(Org.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    for org in orgs:
        org.trail = [names[p] for p in org.ancestor_paths() if p in names]
    return orgs


@login_required
@require_GET
def home(request):
    user = request.user
    orgs = Org.objects.visible_to(user)
    kind_counts = dict(
        orgs.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    people = Person.objects.visible_to(user).filter(active=True)
    context = {
        "sectors_led": (
            list(Sector.objects.filter(department_id=user.org_id)) if user.org_id else []
        ),
        "roots": _scope_roots(user),
        "kind_counts": [
            (label, kind_counts.get(value, 0))
            for value, label in OrgKind.choices
            if kind_counts.get(value)
        ],
        "org_total": sum(kind_counts.values()),
        "people_total": people.count(),
        "focus_total": people.filter(rank__in=FOCUS_RANKS).count(),
        "recent": Change.objects.visible_to(Scope.of(user))[:10],
    }
    return render(request, "orgs/home.html", context)


@login_required
@require_GET
def org_tree(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    context = {"query": query, "roots": _scope_roots(user)}
    if query:
        matches = OrgFilterSet({"q": query}, user=user).qs
        page = paginate(request, matches)
        _with_trails(page.object_list, user)
        context["page"] = page
    else:
        for root in context["roots"]:
            root.child_page = Org.objects.get_children(root)[:200]
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def org_children(request, pk):
    org = get_org(request.user, pk)
    children = Org.objects.get_children(org)
    return render(
        request,
        "orgs/_children.html",
        {"parent": org, "children": children[:500], "more": org.numchild > 500},
    )


@login_required
@require_GET
def org_lookup(request):
    """Options for the org-code inputs of forms: orgs the user may write for (their own
    subtree) matching a name or code."""
    query = request.GET.get("q", "").strip()
    orgs = Org.objects.none()
    if query:
        orgs = Org.objects.filter(Scope.of(request.user).q_own("path")).filter(
            Q(name__icontains=query) | Q(code__startswith=query)
        )[:20]
    return render(request, "orgs/_lookup.html", {"orgs": orgs})


@login_required
@require_GET
def person_lookup(request):
    """Options for person-number inputs: people in scope matching a name or number,
    leading cadres first."""
    query = request.GET.get("q", "").strip()
    people = Person.objects.none()
    if query:
        people = (
            Person.objects.filter(Scope.of(request.user).q_own("org__path"))
            .filter(Q(name__icontains=query) | Q(code__startswith=query), active=True)
            .select_related("org")
            .order_by("rank", "org__path")[:20]
        )
    return render(request, "orgs/_person_lookup.html", {"people": people})


@login_required
@require_GET
def org_detail(request, pk):
    user = request.user
    org = get_org(user, pk)
    children = paginate(request, Org.objects.get_children(org))
    people = Person.objects.filter(org=org).order_by("-rank", "id")
    context = {
        "org": org,
        "breadcrumb": org.breadcrumb(user),
        "children": children,
        "people": people[:20],
        "people_count": people.count(),
        "subtree_people": Person.objects.filter(org__path__startswith=org.path).count(),
        "subtree_orgs": Org.objects.filter(path__startswith=org.path).count() - 1,
        "users": (
            User.objects.filter(org=org)
            if user.can_manage and Scope.of(user).has_org(org)
            else None
        ),
        "history": Change.objects.filter(model="orgs.org", object_id=str(org.pk))[:10],
        "is_scope_root": not user.is_superuser and org.pk == user.org_id,
    }
    return render(request, "orgs/detail.html", context)


def _actor(request):
    return Actor.web(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request, pk):
    parent = get_org(request.user, pk)
    require_manage(request.user)
    form = OrgForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        org = services.create_org(_actor(request), parent=parent, **form.cleaned_data)
        messages.success(request, _("Created %(name)s.") % {"name": org.name})
        return redirect("orgs:detail", org.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "parent": parent,
            "title": _("New sub-organisation of %(name)s") % {"name": parent.name},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = get_org(request.user, pk)
    require_manage(request.user)
    own = not request.user.is_superuser and org.pk == request.user.org_id
    form = OrgForm(request.POST or None, instance=Org.objects.get(pk=org.pk), own=own)
    if request.method == "POST" and form.is_valid():
        services.update_org(_actor(request), org, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("orgs:detail", org.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "title": _("Edit %(name)s") % {"name": org.name}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request, pk):
    user = request.user
    org = get_org(user, pk)
    require_manage(user)
    if not user.is_superuser and org.pk == user.org_id:
        messages.error(request, _("The organisation at the top of your scope cannot be moved."))
        return redirect("orgs:detail", org.pk)
    form = OrgMoveForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_org(_actor(request), org, form.cleaned_data["parent"])
        except ValidationError as exc:
            form.add_error("parent", exc)
        else:
            messages.success(
                request, _("Moved %(name)s; its records moved with it.") % {"name": org.name}
            )
            return redirect("orgs:detail", org.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "title": _("Move %(name)s") % {"name": org.name}},
    )


@login_required
@require_GET
def org_export(request, pk):
    org = get_org(request.user, pk)
    orgs = Org.objects.filter(path__startswith=org.path).order_by("path")
    return xlsx_response(imports.export_orgs(orgs), f"组织-{org.label}")


@login_required
@require_GET
def org_template(request):
    require_manage(request.user)
    return xlsx_response(imports.org_template(request.user), "组织导入模板")


def _import_view(request, importer, title, template_url, what):
    return upload_page(
        request,
        lambda actor, data, name: importer(actor, data),
        result_template="orgs/_import_result.html",
        job=("orgs.import", {"what": what}),
        title=title,
        template_url=reverse(template_url),
        template_note=_("Chinese headers, drop-downs, and an instructions sheet."),
        steps=[
            _("Fill one row per entry. An existing code updates that entry; a new code adds one."),
            _(
                "Upload it. The whole file is checked first; nothing is written unless every row passes."
            ),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request):
    require_manage(request.user)
    return _import_view(
        request, imports.import_orgs, _("Import organisations"), "orgs:template", "orgs"
    )


# People


@login_required
@require_GET
def people_list(request):
    user = request.user
    scope_org = get_org(user, request.GET["org"]) if request.GET.get("org") else None
    filters = PersonFilterSet(request.GET or None, user=user)
    form, people = filters.form, filters.qs.select_related("org")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(imports.export_people(people.order_by("org__path", "code")), "人员")
    page = paginate(request, people.order_by("org__path", "code"))
    return render(request, "orgs/people.html", {"form": form, "page": page, "scope_org": scope_org})


@login_required
@require_GET
def person_detail(request, pk):
    person = get_person(request.user, pk)
    history = Change.objects.filter(model="orgs.person", object_id=str(person.pk))[:20]
    return render(
        request,
        "orgs/person.html",
        {
            "person": person,
            "history": history,
            "breadcrumb": person.org.breadcrumb(request.user) + [person.org],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    initial = {"rank": "other", "is_party_member": True, "active": True}
    if request.GET.get("org"):
        initial["org"] = get_org(user, request.GET["org"]).code
    require_record(user)
    form = PersonForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(_actor(request), **form.cleaned_data)
        messages.success(request, _("Added %(name)s.") % {"name": person.name})
        return redirect("orgs:person", person.pk)
    return render(request, "orgs/form.html", {"form": form, "title": _("Add a person")})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    user = request.user
    person = get_person(user, pk)
    require_record(user)
    initial = person.snapshot()
    form = PersonForm(request.POST or None, user=user, initial=initial, instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_person(_actor(request), person, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("orgs:person", person.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": person.name}},
    )


@login_required
@require_GET
def person_template(request):
    require_record(request.user)
    return xlsx_response(imports.person_template(request.user), "人员导入模板")


@login_required
@require_http_methods(["GET", "POST"])
def person_import(request):
    require_record(request.user)
    return _import_view(
        request, imports.import_people, _("Import people"), "orgs:person-template", "people"
    )
