"""Reports read (报告) and the figures read from them (Claim, 报告中的数字). A claim is what a
report says, kept beside the ledger and reconciled against it; it is never a ledger record
and never counted into any total (DESIGN.md rule 3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Org, ScopedQuerySetMixin


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """Reports and claims of the orgs in a user's scope (the org the report speaks for)."""


class Report(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="reports_read"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("speaks for"), on_delete=models.PROTECT, related_name="reports_read"
    )
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    original = models.TextField(_("original text"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    read_at = models.DateTimeField(_("read"), auto_now_add=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    artifacts = models.JSONField(_("artifacts"), default=list)  # [[kind, start, end], …]

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report read")
        verbose_name_plural = _("reports read")
        ordering = ["-read_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="report_read_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title

    def snapshot(self):
        from taizhang.audit.snapshots import snapshot

        return snapshot(self, ["org", "title", "file_name", "starts_on", "ends_on"])


class Direction(models.TextChoices):
    EXACT = "", _("exact")
    MORE = "more", _("more than")
    LESS = "less", _("nearly")
    ABOUT = "about", _("about")


class Claim(models.Model):
    """One figure of a report: what it says, where it says it, and the metric it is."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="claims")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    confidence = models.FloatField(_("confidence"), default=0)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=10)
    approximate = models.BooleanField(_("approximate"), default=False)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    precision = models.DecimalField(max_digits=24, decimal_places=6, default=1)
    phrase = models.CharField(_("phrase"), max_length=100)
    sentence = models.TextField(_("sentence"))
    start = models.PositiveIntegerField()  # in the report's original text
    end = models.PositiveIntegerField()
    relation = models.CharField(max_length=10, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["report", "start", "id"]
        indexes = [models.Index(fields=["metric", "org"], name="claim_metric_org_idx")]

    def __str__(self):
        return f"{self.phrase} {self.value}{self.unit}"

    def snapshot(self):
        from taizhang.audit.snapshots import snapshot

        return snapshot(self, ["report", "metric", "value", "unit", "confirmed"])
