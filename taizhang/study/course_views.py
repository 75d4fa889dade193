"""The course library's pages: the list, publishing a course, a course's player with its
figures and group viewings, the media served with range requests, and the player's report
of how far the user has watched."""

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang import files
from taizhang.audit.services import Actor
from taizhang.orgs.access import require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.models import User
from taizhang.pages import with_campaign
from taizhang.pagination import paginate
from taizhang.params import get_or_404
from taizhang.study import courses as services
from taizhang.study import media
from taizhang.study.forms import CourseForm, GroupViewingForm
from taizhang.study.models import Course, GroupViewing, Viewing

CHUNK = 64 * 1024
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def get_course(user, pk) -> Course:
    return get_or_404(Course.objects.visible_to(user).select_related("org", "campaign"), pk)


@login_required
@with_campaign
def course_list(request, campaign):
    found = Course.objects.visible_to(request.user).filter(campaign=campaign).select_related("org")
    series = request.GET.get("series", "")
    all_series = sorted(set(found.values_list("series", flat=True)))
    if series:
        found = found.filter(series=series)
    watched = set(
        Viewing.objects.filter(user=request.user, progress__gte=services.WATCHED).values_list(
            "course_id", flat=True
        )
    )
    page = paginate(request, found)
    users = User.objects.visible_to(request.user).filter(is_active=True).count()
    required = [c.pk for c in page.object_list if c.required]
    done = dict(
        Viewing.objects.visible_to(request.user)
        .filter(course_id__in=required, progress__gte=services.WATCHED)
        .order_by()
        .values_list("course_id")
        .annotate(n=Count("id"))
    )
    for course in page.object_list:
        if course.required and users:
            course.share = round(100 * done.get(course.pk, 0) / users, 1)
    return render(
        request,
        "study/courses.html",
        {"page": page, "series": series, "all_series": all_series, "watched": watched,
         "users": users},
    )  # fmt: skip


@login_required
@with_campaign
def course_create(request, campaign):
    require_manage(request.user)
    form = CourseForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"org": request.user.org.code if request.user.org_id else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.publish(
                Actor.web(request.user), campaign=campaign, org=data["org"], title=data["title"],
                series=data["series"], upload=data["file"], lecturer=data["lecturer"],
                description=data["description"], required=data["required"],
            )  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Published: %(what)s.") % {"what": course})
            return redirect("study:course", course.pk)
    return render(request, "study/course_form.html", {"form": form})


@login_required
def course_detail(request, pk):
    user = request.user
    course = get_course(user, pk)
    viewings = Viewing.objects.visible_to(user).filter(course=course)
    group = GroupViewing.objects.visible_to(user).filter(course=course).select_related("org")
    users = User.objects.visible_to(user).filter(is_active=True).count()
    watched = viewings.filter(progress__gte=services.WATCHED).count()
    mine = Viewing.objects.filter(course=course, user=user).first()
    return render(
        request,
        "study/course.html",
        {
            "course": course,
            "content_type": media.content_type(course.file_name),
            "views": viewings.count(),
            "watched": watched,
            "users": users,
            "share": round(100 * watched / users, 1) if users else None,
            "group_viewings": group[:50],
            "group_person_times": group.aggregate(n=Sum("person_times"))["n"] or 0,
            "mine": mine,
            "form": GroupViewingForm(user=user) if user.can_record else None,
        },
    )


def _range(header, size):
    """(start, end) of a single-range Range header, None for the whole file; ValueError
    for a range that cannot be served."""
    if not header:
        return None
    match = RANGE.fullmatch(header.strip())
    if not match or (not match[1] and not match[2]):
        raise ValueError(header)
    if not match[1]:  # the last N bytes
        length = min(int(match[2]), size)
        start, end = size - length, size - 1
    else:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    if start >= size or start > end:
        raise ValueError(header)
    return start, end


def _read(path, start, end):
    with path.open("rb") as handle:
        handle.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


@login_required
def course_media(request, pk):
    """The course's file, streamed, with byte ranges for seeking; as a file of its own
    type (never HTML) and no sniffing."""
    course = get_course(request.user, pk)
    path = files.path_of(media.KIND, course.sha256)
    if not path.exists():
        raise Http404
    size = path.stat().st_size
    try:
        wanted = _range(request.headers.get("Range"), size)
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted or (0, size - 1)
    response = StreamingHttpResponse(
        _read(path, start, end), content_type=media.content_type(course.file_name),
        status=206 if wanted else 200,
    )  # fmt: skip
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["X-Content-Type-Options"] = "nosniff"
    if course.media != "pdf":  # Chromium will not show a PDF in a sandboxed document
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(course.file_name)}"
    return response


@login_required
@require_POST
def course_progress(request, pk):
    """The player's report: how far (seconds) of how long; 204, or 400 for numbers it
    cannot read."""
    course = get_course(request.user, pk)
    try:
        position = int(float(request.POST.get("position", "0")))
        duration = int(float(request.POST.get("duration", "0")))
    except (ValueError, OverflowError):
        return HttpResponse(status=400)
    if request.user.org_id is None:
        return HttpResponse(status=204)
    services.watched(Actor.web(request.user), course, position=position, duration=duration)
    return HttpResponse(status=204)


@login_required
@require_POST
def group_viewing_create(request, pk):
    course = get_course(request.user, pk)
    require_record(request.user)
    form = GroupViewingForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_group_viewing(
                Actor.web(request.user), course=course, org=data["org"],
                viewed_on=data["viewed_on"], person_times=data["person_times"],
            )  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    if not form.errors:
        messages.success(request, _("The group viewing is recorded."))
    return redirect(reverse("study:course", args=[course.pk]) + "#group")
