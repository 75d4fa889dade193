"""Research and problem solving: the problem list (问题清单/破难清单) and its lifecycle.
Every write goes through `research/services.py`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin, User


class ProblemSource(models.TextChoices):
    RESEARCH = "research", _("Found in research")
    SEMINAR = "seminar", _("Seminar")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    PETITION = "petition", _("Letters and visits")
    ASSIGNED = "assigned", _("Assigned from above")


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
            ),
            models.CheckConstraint(
                condition=Q(state__in=OPEN_STATES)
                | (~Q(resolution="") & Q(resolved_on__isnull=False)),
                name="problem_resolved_with_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProblemState.CLOSED) | Q(closed_on__isnull=False),
                name="problem_closed_with_date",
            ),
            models.CheckConstraint(
                condition=~Q(solved_on_spot=True) | ~Q(state__in=OPEN_STATES),
                name="problem_on_spot_is_resolved",
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return self.state in OPEN_STATES and self.deadline < today

    def snapshot(self):
        data = {
            "title": self.title,
            "source": self.source,
            "org": self.org.code,
            "leader": self.leader.code if self.leader_id else None,
            "raised_on": str(self.raised_on),
            "deadline": str(self.deadline),
            "state": self.state,
            "solved_on_spot": self.solved_on_spot,
            "resolution": self.resolution,
            "resolved_on": str(self.resolved_on) if self.resolved_on else None,
            "resolved_by": self.resolved_by,
            "closed_on": str(self.closed_on) if self.closed_on else None,
            "closed_by": self.closed_by,
        }
        return {k: v for k, v in data.items() if v not in (None, "")}
