"""Research and problem solving: the problem list (问题清单/破难清单) and its lifecycle.
Every write goes through `research/services.py`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.audit.snapshots import snapshot
from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin, User


class ProblemSource(models.TextChoices):
    RESEARCH = "research", _("Found in research")
    SEMINAR = "seminar", _("Seminar")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    PETITION = "petition", _("Letters and visits")
    ASSIGNED = "assigned", _("Assigned from above")
    # Only a supervision finding turned into a problem (office/services) has this source.
    SUPERVISION = "supervision", _("Supervision finding")


# The sources a problem may be raised with by hand (a form, an import, the API).
RAISED_SOURCES = tuple(s for s in ProblemSource if s != ProblemSource.SUPERVISION)


class ProblemState(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed off")


OPEN_STATES = (ProblemState.OPEN, ProblemState.IN_PROGRESS)


class ProblemQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def overdue(self, today):
        """Problems past their deadline and not yet resolved."""
        return self.filter(state__in=OPEN_STATES, deadline__lt=today)


class Problem(models.Model):
    """A problem on the list: found by research, a seminar, a questionnaire, letters and
    visits, or assigned from above; an org is responsible and a leader leads it. It moves
    open → in progress → resolved → closed (销号); one solved on the spot is resolved as it
    is recorded; a resolved or closed problem may be reopened with a reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problems")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ProblemSource.choices)
    org = models.ForeignKey(
        Org,
        verbose_name=_("organisation responsible"),
        on_delete=models.PROTECT,
        related_name="problems",
        db_index=False,
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leading cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_led",
    )
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=20, choices=ProblemState.choices, default=ProblemState.OPEN
    )
    solved_on_spot = models.BooleanField(_("solved on the spot"), default=False)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.CharField(_("resolved by"), max_length=150, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.CharField(_("closed by"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["org", "state"], name="problem_org_state_idx"),
            models.Index(fields=["state", "deadline"], name="problem_state_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("raised_on")),
                name="problem_deadline_after_raised",
                violation_error_message=_(
                    "The deadline must not be before the day the problem was raised."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=OPEN_STATES)
                | (~Q(resolution="") & Q(resolved_on__isnull=False)),
                name="problem_resolved_with_resolution",
                violation_error_message=_(
                    "A resolved or closed problem needs its resolution and the day it was resolved."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=ProblemState.CLOSED) | Q(closed_on__isnull=False),
                name="problem_closed_with_date",
                violation_error_message=_("A closed problem needs the day it was closed off."),
            ),
            models.CheckConstraint(
                condition=~Q(solved_on_spot=True) | ~Q(state__in=OPEN_STATES),
                name="problem_on_spot_is_resolved",
                violation_error_message=_("A problem solved on the spot is resolved."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return self.state in OPEN_STATES and self.deadline < today

    def clean(self):
        self.campaign.check_dates(
            during=[("raised_on", self.raised_on)],
            follow_up=[
                ("deadline", self.deadline),
                ("resolved_on", self.resolved_on, True),
                ("closed_on", self.closed_on, True),
            ],
            since=self.raised_on,
        )

    def snapshot(self):
        return snapshot(
            self,
            ["title", "source", "org", "leader", "raised_on", "deadline", "state"]
            + ["solved_on_spot", "resolution", "resolved_on", "resolved_by"]
            + ["closed_on", "closed_by"],
        )


class RectificationState(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    RECTIFYING = "rectifying", _("Being rectified")
    RECTIFIED = "rectified", _("Rectified")
    VERIFIED = "verified", _("Verified")


class RectificationQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "village__path"


class Rectification(models.Model):
    """A lagging village's turnaround (后进村整转): identified → being rectified → rectified →
    verified, each step dated and signed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="rectifications")
    village = models.ForeignKey(
        Org, verbose_name=_("village"), on_delete=models.PROTECT, related_name="rectifications"
    )
    reason = models.TextField(_("why it lags"))
    plan = models.TextField(_("rectification plan"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RectificationState.choices,
        default=RectificationState.IDENTIFIED,
    )
    identified_on = models.DateField(_("identified on"))
    started_on = models.DateField(_("rectification started on"), null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.CharField(_("verified by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification of a lagging village")
        verbose_name_plural = _("rectifications of lagging villages")
        ordering = ["village__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "village"], name="unique_rectification_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(state=RectificationState.IDENTIFIED) | Q(started_on__isnull=False),
                name="rectification_started_dated",
                violation_error_message=_("A rectification under way needs the day it started."),
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[RectificationState.IDENTIFIED, RectificationState.RECTIFYING]
                )
                | Q(rectified_on__isnull=False),
                name="rectification_rectified_dated",
                violation_error_message=_("A rectified village needs the day it was rectified."),
            ),
            models.CheckConstraint(
                condition=~Q(state=RectificationState.VERIFIED) | Q(verified_on__isnull=False),
                name="rectification_verified_dated",
                violation_error_message=_(
                    "A verified rectification needs the day it was verified."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.village} ({self.get_state_display()})"

    def clean(self):
        self.campaign.check_dates(
            during=[("identified_on", self.identified_on)],
            follow_up=[
                ("started_on", self.started_on, True),
                ("rectified_on", self.rectified_on, True),
                ("verified_on", self.verified_on, True),
            ],
            since=self.identified_on,
        )

    def snapshot(self):
        return snapshot(
            self,
            ["village", "reason", "plan", "state", "identified_on", "started_on"]
            + ["rectified_on", "verified_on", "verified_by"],
        )


class ScopedQuery(ScopedQuerySetMixin, models.QuerySet):
    """Records scoped by the org they belong to."""


class ResearchTopic(models.Model):
    """A research topic a leader claims (领题调研); research trips, seminars, questionnaires and
    reports link to it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("focus area"), max_length=40, blank=True)
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="topics"
    )
    leader = models.ForeignKey(
        Person, verbose_name=_("leading cadre"), on_delete=models.PROTECT, related_name="topics"
    )
    claimed_on = models.DateField(_("claimed on"))
    # Research trips, seminars and questionnaires done for the topic.
    activities = models.ManyToManyField(
        "ledger.Activity", verbose_name=_("work done"), related_name="research_topics", blank=True
    )

    objects = ScopedQuery.as_manager()

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["claimed_on", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        self.campaign.check_dates(during=[("claimed_on", self.claimed_on)])

    def snapshot(self):
        activities = sorted(self.activities.values_list("id", flat=True)) if self.pk else []
        return snapshot(
            self, ["title", "area", "org", "leader", "claimed_on"], activities=activities
        )


# The four parts every research report must have, in order.
REPORT_PARTS = {
    "situation": _("Situation"),
    "problems": _("Problems"),
    "analysis": _("Analysis"),
    "measures": _("Measures"),
}


class ResearchReport(models.Model):
    """A research report (调研报告): the situation, the problems, the analysis and the
    measures, all four required."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    org = models.ForeignKey(
        Org, verbose_name=_("author organisation"), on_delete=models.PROTECT, related_name="reports"
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    topic = models.ForeignKey(
        ResearchTopic,
        verbose_name=_("research topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    submitted_on = models.DateField(_("submitted on"))
    situation = models.TextField(REPORT_PARTS["situation"])
    problems = models.TextField(REPORT_PARTS["problems"])
    analysis = models.TextField(REPORT_PARTS["analysis"])
    measures = models.TextField(REPORT_PARTS["measures"])
    # The findings meetings (调研成果交流会) that discussed it.
    meetings = models.ManyToManyField(
        "ledger.Activity",
        verbose_name=_("discussed at"),
        related_name="reports_discussed",
        blank=True,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuery.as_manager()

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(situation="") & ~Q(problems="") & ~Q(analysis="") & ~Q(measures=""),
                name="report_has_four_parts",
                violation_error_message=_(
                    "A report needs all four parts: situation, problems, analysis and measures."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.campaign.check_dates(during=[("submitted_on", self.submitted_on)])

    def snapshot(self):
        return snapshot(
            self, ["title", "org", "author", "submitted_on", *REPORT_PARTS], topic=self.topic_id
        )
