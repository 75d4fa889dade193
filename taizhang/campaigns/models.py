"""A campaign is data, not code: these models hold a loaded YAML definition (see
`definition.py`). Records point at kinds and batches, so a reload updates them in place."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Fields an activity kind may record, beside its org, dates and title. The labels are the
# column headers of the Excel templates.
ACTIVITY_FIELDS = {
    "count": _("Count"),
    "participants": _("Participants"),
    "person_times": _("Person-times"),
    "days": _("Days"),
    "households": _("Households"),
    "copies": _("Copies"),
    "venue": _("Venue"),
    "visited_org": _("Visited organisation"),
    "leader": _("Leading cadre"),
    "lecturer_role": _("Lecturer role"),
    "topic": _("Topic"),
}
# Deadlines and later steps of the campaign's work may lie this many years after its end.
FOLLOW_UP_YEARS = 3
NUMBER_FIELDS = ("count", "participants", "person_times", "days", "households", "copies")
# The most one record may carry in each number field: generous for any unit's aggregate row
# (a district's month of lectures), and small enough that a subtree's totals over millions
# of records stay far inside 64 bits. Models, database constraints, forms and imports all
# enforce these.
NUMBER_MAXIMA = {
    "count": 100_000,
    "participants": 10_000_000,
    "person_times": 10_000_000,
    "days": 100_000,
    "households": 10_000_000,
    "copies": 10_000_000,
}


class Aggregate(models.TextChoices):
    COUNT = "count", _("Count of records")
    SUM = "sum", _("Sum of a field")
    AVERAGE_PER_ORG = "average_per_org", _("Average per organisation")
    DISTINCT_ORGS = "distinct_orgs", _("Distinct organisations")
    COVERAGE = "coverage", _("Coverage")
    PER_DAY = "per_day", _("Average per day")
    VENUES = "venues", _("Venues")


class ReadingCategory(models.TextChoices):
    """The kinds of title on a campaign's required reading (the vocabulary of its file)."""

    REQUIRED = "required", _("Required title")
    SUPPLEMENTARY = "supplementary", _("Supplementary material")
    CONSTITUTION = "constitution", _("Party Constitution and rules")


class CampaignQuerySet(models.QuerySet):
    def current(self):
        """The campaign pages show by default: the latest one loaded and still active."""
        return self.filter(active=True).order_by("-starts_on", "-id").first()


class Campaign(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("definition file"), max_length=300, blank=True)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def follow_up_ends_on(self):
        """The last day a deadline or a later step of the campaign's work may carry:
        problems and lagging villages are worked on for a while after the campaign."""
        return self.ends_on.replace(year=self.ends_on.year + FOLLOW_UP_YEARS, day=28)

    def check_dates(self, *, during=(), follow_up=(), since=None):
        """Raise ValidationError naming every field whose date is out of range: `during`
        (field, day) pairs lie in the campaign; `follow_up` pairs lie on or after `since`,
        deadlines (the plain pairs) by the follow-up end, and steps already done
        (`(field, day, True)`) not after today."""
        errors = {}
        span = {"start": self.starts_on, "end": self.ends_on}
        for name, day in during:
            if day is not None and not self.starts_on <= day <= self.ends_on:
                errors[name] = _("outside the campaign (%(start)s to %(end)s)") % span
        today = timezone.localdate()
        for name, day, *done in follow_up:
            if day is None or name in errors:
                continue
            if since is not None and day < since:
                errors[name] = _("before %(day)s") % {"day": since}
            elif done and day > today:
                errors[name] = _("in the future")
            elif not done and day > self.follow_up_ends_on:
                errors[name] = _("after %(day)s") % {"day": self.follow_up_ends_on}
        if errors:
            raise ValidationError(errors)


class Batch(models.Model):
    """A wave of the campaign. An org takes part when its kind is listed or its level
    (depth in the tree, 1 = top) is."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    org_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_batch_number"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="batch_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def includes(self, org) -> bool:
        return org.kind in self.org_kinds or org.depth in self.levels

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class ActivityKindQuerySet(models.QuerySet):
    def recordable(self):
        """Kinds entered in the ledger (the others are counted from their own records)."""
        return self.filter(source="")


class ActivityKind(models.Model):
    """A kind of work the campaign counts. `fields` maps each recorded field to
    "required" or "optional"; a field not listed is refused on records of this kind."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kinds")
    code = models.SlugField(_("code"), max_length=60)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10)
    required = models.BooleanField(_("required action"), default=False)
    fields = models.JSONField(_("recorded fields"), default=dict)
    org_kinds = models.JSONField(_("for organisation kinds"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Kinds counted from another record type (see `sources.py`); blank: recorded in the ledger.
    source = models.CharField(_("counted from"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ActivityKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_kind_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if translation.get_language() == "en" else self.name_zh

    @property
    def recordable(self) -> bool:
        return not self.source

    def requires(self, field) -> bool:
        return self.fields.get(field) == "required"

    def field_names(self):
        return [f for f in ACTIVITY_FIELDS if f in self.fields]

    def allows_org(self, org) -> bool:
        return not self.org_kinds or org.kind in self.org_kinds


class Metric(models.Model):
    """A figure the campaign reports: an aggregate over one kind's records. `scope` is
    "subtree" (an org and everything under it) or "self" (the org's own records, e.g. the
    standing committee's own study days)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="metrics")
    code = models.SlugField(_("code"), max_length=60)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="metrics")
    aggregate = models.CharField(_("aggregate"), max_length=20, choices=Aggregate.choices)
    field = models.CharField(_("field"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    org_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    min_records = models.PositiveIntegerField(_("at least"), default=1)
    # For coverage: only the orgs with a record of this kind count as eligible (the units a
    # supervision group is assigned, say), beside `org_kinds`.
    among = models.ForeignKey(
        ActivityKind,
        verbose_name=_("among orgs with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # For aggregate "venues": the venues of these kinds (and tiers, if any) in the subtree.
    venue_kinds = models.JSONField(_("venue kinds"), default=list, blank=True)
    venue_tiers = models.JSONField(_("venue tiers"), default=list, blank=True)
    scope = models.CharField(_("scope"), max_length=10, default="subtree")
    phrases = models.JSONField(_("phrases in reports"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_metric_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if translation.get_language() == "en" else self.name_zh


class Target(models.Model):
    """A metric's threshold for each org of the listed kinds, due by the deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    # Stable across reloads of the definition, so a target keeps its id and what links to it.
    code = models.SlugField(_("code"), max_length=60)
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="targets")
    org_kinds = models.JSONField(_("for organisation kinds"), default=list)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["metric", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_target_code"),
        ]

    def __str__(self):
        return f"{self.metric} ≥ {self.threshold:g} ({self.deadline})"
