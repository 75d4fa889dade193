"""The user's background jobs: the list, and one job's live progress (htmx polls its
progress part every half second until it ends), with cancel, retry and the result."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taizhang.downloads import xlsx_response
from taizhang.jobs import services
from taizhang.jobs.models import Job, JobState
from taizhang.pagination import paginate


@login_required
@require_GET
def job_list(request):
    services.sweep()
    jobs = Job.objects.visible_to(request.user).select_related("user", "org")
    return render(
        request,
        "jobs/list.html",
        {"page": paginate(request, jobs), "workers_running": services.workers_running()},
    )


@login_required
@require_GET
def job_detail(request, pk):
    job = services.get_job(request.user, pk)
    if not job.finished:
        services.sweep()
        job.refresh_from_db()
    context = {"job": job, "view": view_of(job), "workers_running": services.workers_running()}
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def job_cancel(request, pk):
    job = services.cancel(request.user, services.get_job(request.user, pk))
    return redirect(job)


@login_required
@require_POST
def job_retry(request, pk):
    job = services.retry(request.user, services.get_job(request.user, pk))
    return redirect(job)


@login_required
@require_GET
def job_download(request, pk):
    job = services.get_job(request.user, pk)
    if job.state != JobState.SUCCEEDED or not job.output:
        return HttpResponse(_("This job has no file to download."), status=404)
    return xlsx_response(bytes(job.output), job.output_name)


def view_of(job):
    """What the page shows of a job's progress: each count as a share of the rows, and an
    estimate of the time left from the pace so far."""
    total = job.total
    steps = [
        (_("Rows read"), job.read),
        (_("Rows checked"), job.checked),
        (_("Rows written"), job.written),
    ]
    bars = [(label, count, round(100 * count / total) if total else 0) for label, count in steps]
    left = None
    if job.state == JobState.RUNNING and job.started_at and total:
        done = (job.checked + job.written) / (2 * total)
        elapsed = (timezone.now() - job.started_at).total_seconds()
        if 0.02 < done < 1:
            left = max(1, round(elapsed / done - elapsed))
    return {"bars": bars, "seconds_left": left}
