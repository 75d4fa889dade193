"""The ledger's records: one per piece of work (or per aggregate a unit reports), on the org
that did it, and the imports they came from."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from taizhang.audit.snapshots import clean, snapshot
from taizhang.campaigns.models import (
    ACTIVITY_FIELDS,
    NUMBER_FIELDS,
    NUMBER_MAXIMA,
    ActivityKind,
    Batch,
)
from taizhang.ledger.models.venues import Venue
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin, User
from taizhang.orgs.scope import in_subtree


class LecturerRole(models.TextChoices):
    LEADER = "leader", _("Leading cadre")
    SECRETARY = "secretary", _("Party organisation secretary")
    MEMBER = "member", _("Party member")
    EXPERT = "expert", _("Expert or scholar")


class Source(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Excel import")
    API = "api", _("API")
    DEMO = "demo", _("Demo generator")


class ActivityImport(models.Model):
    """One imported file. `digest` is a hash of the file's content (kind, headers and cell
    values, not its bytes), so the same sheet saved again is still recognised."""

    digest = models.CharField(_("content digest"), max_length=64)
    kind = models.ForeignKey(
        ActivityKind,
        verbose_name=_("activity kind"),
        on_delete=models.PROTECT,
        related_name="imports",
    )
    filename = models.CharField(_("file name"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    imported_by_name = models.CharField(max_length=150)
    scope = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity import")
        verbose_name_plural = _("activity imports")
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="unique_import_content")
        ]

    def __str__(self):
        return self.filename

    def snapshot(self):
        return snapshot(self, ["kind", "filename", "rows"])


class ActivityQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def of_campaign(self, campaign):
        return self.filter(kind__campaign=campaign)

    def in_subtree(self, org):
        return self.filter(in_subtree(org))


class Activity(models.Model):
    # org and kind are indexed by the composite indexes below (they lead them); every index
    # dropped here is one less to maintain per row of a 100,000-row import.
    org = models.ForeignKey(
        Org,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    kind = models.ForeignKey(
        ActivityKind,
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    batch = models.ForeignKey(  # follows from the date; lists filter by dates and kind
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    count = models.PositiveIntegerField(
        _("count"), default=1, validators=[MaxValueValidator(NUMBER_MAXIMA["count"])]
    )
    participants = models.PositiveIntegerField(
        _("participants"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(NUMBER_MAXIMA["participants"])],
    )
    person_times = models.PositiveIntegerField(
        _("person-times"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(NUMBER_MAXIMA["person_times"])],
    )
    days = models.PositiveIntegerField(
        _("days"), null=True, blank=True, validators=[MaxValueValidator(NUMBER_MAXIMA["days"])]
    )
    households = models.PositiveIntegerField(
        _("households"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(NUMBER_MAXIMA["households"])],
    )
    copies = models.PositiveIntegerField(
        _("copies"), null=True, blank=True, validators=[MaxValueValidator(NUMBER_MAXIMA["copies"])]
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # a partial index below: most records name no venue
    )
    visited_org = models.ForeignKey(
        Org,
        verbose_name=_("visited organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_received",
        db_index=False,
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leading cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_led",
        db_index=False,
    )
    lecturer_role = models.CharField(
        _("lecturer role"), max_length=20, choices=LecturerRole.choices, blank=True
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_import = models.ForeignKey(  # indexed by unique_activity_source
        ActivityImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    source_row = models.PositiveIntegerField(_("row in file"), null=True, blank=True)
    recorded_by = models.ForeignKey(  # users are deactivated, not deleted: no index needed
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["org", "kind", "starts_on"], name="activity_org_kind_day_idx"),
            models.Index(fields=["kind", "starts_on"], name="activity_kind_day_idx"),
            # Most records name no venue, visited org or leader; partial indexes keep those
            # rows out of the index (and out of its upkeep on every insert).
            models.Index(
                fields=["venue"], name="activity_venue_idx", condition=Q(venue__isnull=False)
            ),
            models.Index(
                fields=["visited_org"],
                name="activity_visited_org_idx",
                condition=Q(visited_org__isnull=False),
            ),
            models.Index(
                fields=["leader"], name="activity_leader_idx", condition=Q(leader__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_import", "source_row"], name="unique_activity_source"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="activity_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="activity_count_positive",
                violation_error_message=_("The count must be 1 or more."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": NUMBER_MAXIMA[name]}),
                    name=f"activity_{name}_at_most_maximum",
                    violation_error_message=format_lazy(
                        _("{field} must be at most {n}."),
                        field=ACTIVITY_FIELDS[name],
                        n=f"{NUMBER_MAXIMA[name]:,}",
                    ),
                )
                for name in NUMBER_FIELDS
            ),
        ]

    def __str__(self):
        return self.title or f"{self.org.label} {self.kind.name}"

    def snapshot(self):
        return snapshot(self, SNAPSHOT_FIELDS)


# Every field a record carries, in the order history and files show them: its org, kind,
# dates and title, then the fields a kind may record (the one list, campaigns'
# ACTIVITY_FIELDS), then the note. The other lists derive from this one.
BASE_FIELDS = ("starts_on", "ends_on", "title")
SNAPSHOT_FIELDS = ("org", "kind", *BASE_FIELDS, *ACTIVITY_FIELDS, "note")
EDITABLE_FIELDS = (*BASE_FIELDS, "note", *ACTIVITY_FIELDS)
# Fields whose value is another object.
REFERENCE_FIELDS = ("venue", "visited_org", "leader")


def values_snapshot(values) -> dict:
    """What the history keeps of an activity given as field values (a bulk write that has
    no instances): the same as `Activity.snapshot`."""
    return clean({name: values.get(name) for name in SNAPSHOT_FIELDS})
