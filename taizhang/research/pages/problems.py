"""The problem list (问题清单): list with counts and export, record, each problem's page and next
step, and the Excel import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.downloads import xlsx_response
from taizhang.orgs.access import require_record
from taizhang.orgs.scope import Scope
from taizhang.pages import form_page, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.research import imports, services
from taizhang.research.access import get_problem
from taizhang.research.filtersets import ProblemFilterSet
from taizhang.research.forms import (
    ProblemForm,
    ReopenForm,
    ResolveForm,
)
from taizhang.research.models import (
    OPEN_STATES,
    ProblemSource,
    ProblemState,
)
from taizhang.uploads import upload_page
from taizhang.xlsx import write_rows, zh_label

EXPORT_HEADERS = [
    "标题",
    "来源",
    "责任单位代码",
    "责任单位",
    "牵头领导",
    "提出日期",
    "办结时限",
    "状态",
    "现场解决",
    "解决情况",
    "解决日期",
    "销号日期",
    "是否逾期",
]


@login_required
def problem_list(request):
    user = request.user
    today = timezone.localdate()
    scope_org = requested_org(request)  # outside the scope: 404
    filters = ProblemFilterSet(request.GET or None, user=user)
    scoped = filters.scoped
    counts = dict(scoped.order_by().values_list("state").annotate(n=Count("id")))
    overdue_count = scoped.overdue(today).count()
    form = filters.form
    problems = filters.qs.order_by("deadline", "id")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_export(problems, today, Scope(user)), "问题清单")
    return render(
        request,
        "research/problems.html",
        {
            "page": paginate(request, problems),
            "form": form,
            "today": today,
            "states": [(s, ProblemState(s).label, counts.get(s, 0)) for s in ProblemState.values],
            "overdue_count": overdue_count,
            "open_states": OPEN_STATES,
            "scope_org": scope_org,
        },
    )


def _export(problems, today, scope):
    def rows():
        for p in problems.iterator(chunk_size=2000):
            yield [
                p.title,
                zh_label(ProblemSource, p.source),
                p.org.code,
                p.org.name,
                str(scope.shown(p.leader)) if p.leader_id else "",
                p.raised_on,
                p.deadline,
                zh_label(ProblemState, p.state),
                "是" if p.solved_on_spot else "否",
                p.resolution,
                p.resolved_on,
                p.closed_on,
                "是" if p.is_overdue(today) else "否",
            ]

    return write_rows("问题清单", EXPORT_HEADERS, rows())


@login_required
@with_campaign
def problem_create(request, campaign):
    require_record(request.user)
    form = ProblemForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.raise_problem(Actor.web(request.user), campaign=campaign, **d),
        lambda problem: reverse("research:problem", args=[problem.pk]),
        title=_("Record a problem"),
        cancel=reverse("research:problems"),
    )


@login_required
def problem_detail(request, pk):
    problem = get_problem(request.user, pk)
    history = Change.objects.of(problem)
    return render(
        request,
        "research/problem.html",
        {
            "problem": problem,
            "history": history,
            "overdue": problem.is_overdue(timezone.localdate()),
            "resolve_form": ResolveForm(),
            "reopen_form": ReopenForm(),
        },
    )


@login_required
@require_POST
def problem_step(request, pk, step):
    """Move a problem one step: start, resolve, close or reopen."""
    problem = get_problem(request.user, pk)
    require_record(request.user)
    actor = Actor.web(request.user)
    try:
        if step == "start":
            services.start(actor, problem)
        elif step == "resolve":
            form = ResolveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say how the problem was solved."))
            services.resolve(
                actor,
                problem,
                resolution=form.cleaned_data["resolution"],
                on=form.cleaned_data["on"],
            )
        elif step == "close":
            services.close(actor, problem)
        elif step == "reopen":
            services.reopen(actor, problem, reason=request.POST.get("reason", ""))
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Now: %(state)s.") % {"state": problem.get_state_display()})
    return redirect("research:problem", problem.pk)


@login_required
@with_campaign
def problem_template(request, campaign):
    require_record(request.user)
    return xlsx_response(imports.template(request.user, campaign), "问题清单导入模板")


@login_required
@with_campaign
def problem_import(request, campaign):
    require_record(request.user)
    return upload_page(
        request,
        lambda actor, data, name: imports.import_problems(actor, campaign, data),
        result_template="research/_import_result.html",
        job=("research.problems.import", {"campaign": campaign.pk}),
        title=_("Import problems from Excel"),
        back_url=reverse("research:problems"),
        back_label=_("Problem list"),
        template_url=reverse("research:problem-template"),
        template_note=_(
            "Chinese headers, a drop-down for the source, and the rules on the instructions sheet."
        ),
        steps=[
            _("Fill one row per problem."),
            _(
                "Upload it. The whole file is checked first; nothing is written unless every row passes. A problem already on the list (same organisation, title and day raised) is not added again."
            ),
        ],
    )
