"""A piece of long work run in the background (an import, an export) as its user sees it:
what it is, how far it has got, the errors found so far, and what it produced. The task
framework's own row (django_tasks_db) only says queued, running or done."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.scope import Scope


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    REJECTED = "rejected", _("Refused: nothing written")
    FAILED = "failed", _("Failed: nothing written")
    CANCELLED = "cancelled", _("Cancelled: nothing written")


FINISHED = (JobState.SUCCEEDED, JobState.REJECTED, JobState.FAILED, JobState.CANCELLED)


class Stage(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Finished")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own jobs; a manager's also those of users in their subtree."""
        if user is None or not user.is_authenticated:
            return self.none()
        own = Q(user=user)
        if user.can_manage:
            scope = Scope.of(user)
            if not scope.is_empty:
                own |= scope.q_own("org__path")
        return self.filter(own)


class Job(models.Model):
    runner = models.CharField(max_length=100)  # a name registered by an app's jobs.py
    params = models.JSONField(default=dict)
    title = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, null=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default="waiting")
    data = models.BinaryField(default=b"")  # the uploaded file, kept until the job succeeds
    filename = models.CharField(_("file"), max_length=200, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    read = models.PositiveIntegerField(_("rows read"), default=0)
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first problems found, as text
    result = models.JSONField(default=dict)
    output = models.BinaryField(null=True)  # a file the job made, to download
    output_name = models.CharField(max_length=200, blank=True)
    failure = models.TextField(_("reason"), blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker running it
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    progress_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(_("finished"), null=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self):
        return self.state in FINISHED

    @property
    def can_cancel(self):
        return not self.finished and self.stage in (Stage.WAITING, Stage.READING, Stage.CHECKING)


class WorkerBeat(models.Model):
    """A running worker process, heard from every few seconds."""

    name = models.CharField(max_length=200, unique=True)  # host:pid
    host = models.CharField(max_length=150)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return self.name
