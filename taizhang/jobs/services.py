"""Starting, running, cancelling and retrying background jobs, and telling whether a
worker is there to run them. An app makes its work runnable here by registering it in its
own `jobs.py`:

    @register("ledger.import")
    def import_activities(job, progress): ...  # returns the result (a dict)

A runner returns a dict; it may also set `job.output`/`output_name` for a file to
download. Raising ImportRejected ends the job as refused with its errors; Cancelled, as
cancelled; anything else, as failed with the reason. The work of one job is one
transaction, so a refused, failed, cancelled or killed job has written nothing."""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from taizhang.jobs.models import Job, JobState, Stage, WorkerBeat
from taizhang.jobs.progress import KEPT_ERRORS, Cancelled, Progress

logger = logging.getLogger(__name__)
RUNNERS = {}


def register(name):
    def decorator(function):
        RUNNERS[name] = function
        return function

    return decorator


def get_job(user, pk) -> Job:
    """The job, if the user may see it; else 404, as for a job that does not exist."""
    job = Job.objects.visible_to(user).filter(pk=pk).select_related("user", "org").first()
    if job is None:
        raise Http404
    return job


def start(user, runner, title, *, params=None, data=b"", filename="") -> Job:
    """Queue a job for the worker; returns at once."""
    if runner not in RUNNERS:
        raise ValueError(f"no job runner named {runner!r}")
    with transaction.atomic():
        job = Job.objects.create(
            runner=runner,
            title=title[:200],
            params=params or {},
            user=user,
            org=user.org if user.org_id else None,
            data=data,
            filename=filename[:200],
        )
        _enqueue(job)
    return job


def _enqueue(job):
    from taizhang.jobs.tasks import run_job

    job.task_id = str(run_job.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])


def run(job_id) -> str:
    """Run a queued job to its end (called by the worker's task, or directly)."""
    from taizhang.xlsx import ImportRejected

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return "skipped"
    if job.cancel_requested:
        _finish(job, JobState.CANCELLED)
        return job.state
    job.state, job.stage = JobState.RUNNING, Stage.READING
    job.started_at = timezone.now()
    job.worker = this_worker()
    job.save(update_fields=["state", "stage", "started_at", "worker"])
    progress = Progress(job)
    try:
        job.result = RUNNERS[job.runner](job, progress) or {}
    except Cancelled:
        _finish(job, JobState.CANCELLED)
    except ImportRejected as rejected:
        _counted(job, progress)
        job.errors = [str(e) for e in rejected.errors[:KEPT_ERRORS]]
        job.error_count = len(rejected.errors)
        _finish(job, JobState.REJECTED)
    except PermissionDenied:
        job.failure = _("You may no longer do this (your role or organisation has changed).")
        _finish(job, JobState.FAILED)
    except Exception as exc:
        logger.exception("job %s failed", job.pk)
        job.failure = _("An unexpected error stopped the job: %(error)s") % {
            "error": f"{type(exc).__name__}: {exc}"[:500]
        }
        _finish(job, JobState.FAILED)
    else:
        _counted(job, progress)
        job.data = b""  # the file is not needed again
        _finish(job, JobState.SUCCEEDED)
    return job.state


def _counted(job, progress):
    """The final counts, whether or not the progress saves reached the database."""
    for name in ("total", "read", "checked", "written"):
        if name in progress.fields:
            setattr(job, name, progress.fields[name])


def _finish(job, state):
    job.state, job.stage, job.finished_at = state, Stage.DONE, timezone.now()
    try:
        job.save()
    except DatabaseError:  # the connection was lost mid-job: say so on a new one
        connection.close()
        job.save()


def cancel(user, job):
    """Cancel a job that has not started writing; a queued one ends at once."""
    if job.user_id != user.pk and not user.can_manage:
        raise PermissionDenied
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.can_cancel:
            return job
        job.cancel_requested = True
        if job.state == JobState.QUEUED:
            job.state, job.stage, job.finished_at = JobState.CANCELLED, Stage.DONE, timezone.now()
            DBTaskResult.objects.filter(id=job.task_id or None).delete()
        job.save()
    return job


def retry(user, job) -> Job:
    """Run a failed or cancelled job again, from its file."""
    if job.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state not in (JobState.FAILED, JobState.CANCELLED):
            return job
        job.state, job.stage = JobState.QUEUED, Stage.WAITING
        job.read = job.checked = job.written = job.error_count = 0
        job.errors, job.failure, job.cancel_requested = [], "", False
        job.started_at = job.finished_at = job.progress_at = None
        job.worker = ""
        job.save()
        _enqueue(job)
    return job


# Workers


def this_worker():
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(name=None):
    """Say that this worker process is alive."""
    host, pid = socket.gethostname(), os.getpid()
    WorkerBeat.objects.update_or_create(
        name=name or this_worker(), defaults={"host": host, "pid": pid, "beat_at": timezone.now()}
    )


def _alive(name, beats):
    """Whether the worker `name` (host:pid) is still running: on this host, its process is
    looked at (a beat may wait for a long write on SQLite); elsewhere, its last beat."""
    host, _sep, pid = name.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return _process_alive(int(pid))
    beat = beats.get(name)
    stale = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return beat is not None and beat.beat_at >= stale


def _process_alive(pid):
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        pass
    return True


def workers_running() -> bool:
    stale = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    beats = list(WorkerBeat.objects.filter(beat_at__gte=stale))
    return any(_alive(b.name, {b.name: b}) for b in beats)


def sweep() -> int:
    """Mark as failed the running jobs whose worker has died (killed, or its machine
    stopped): their transaction was rolled back, so nothing of them was written."""
    running = list(Job.objects.filter(state=JobState.RUNNING).exclude(worker=""))
    if not running:
        return 0
    beats = {b.name: b for b in WorkerBeat.objects.filter(name__in={j.worker for j in running})}
    dead = [job for job in running if not _alive(job.worker, beats)]
    for job in dead:
        updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.FAILED,
            stage=Stage.DONE,
            finished_at=timezone.now(),
            failure=_(
                "The worker running this job stopped (it was killed or its machine restarted). Nothing of it was written; you can run it again."
            ),
        )
        if updated:
            DBTaskResult.objects.filter(id=job.task_id or None).update(
                status="FAILED", finished_at=timezone.now()
            )
    return len(dead)
