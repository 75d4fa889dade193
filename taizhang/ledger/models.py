"""The ledger: one record per piece of work (or per aggregate a unit reports), on the org
that did it. Every figure Taizhang shows is a sum over these records."""

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
    Reading,
)
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin, User
from taizhang.orgs.scope import Scope, in_subtree


class VenueKind(models.TextChoices):
    RED_BASE = "red_base", _("Red education base")
    SERVICE_CENTRE = "service_centre", _("Party and public service centre")
    DISTANCE_STATION = "distance_station", _("Distance-education station")
    LECTURE_HALL = "lecture_hall", _("Lecture hall")


class VenueTier(models.TextChoices):
    CITY_MODEL = "city_model", _("City-level model base")
    CITY = "city", _("City level")
    DISTRICT = "district", _("District level")
    TOWN = "town", _("Town level")
    VILLAGE = "village", _("Village level")


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Venues are shared with everyone below their owner: a village may take its members
        to the city's red base. So a user sees the venues owned inside their scope and those
        owned by the orgs above it (never a sibling's)."""
        scope = Scope.of(user)
        return self.none() if scope.is_empty else self.filter(scope.q_or_above("owner__path"))


class Venue(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=VenueTier.choices)
    owner = models.ForeignKey(
        Org, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="venues"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "tier"], name="venue_kind_tier_idx")]

    def __str__(self):
        return self.name

    def snapshot(self):
        return snapshot(self, ["code", "name", "kind", "tier", "owner", "address", "active"])


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


class Sums(models.Model):
    """How many records, and the sums of their number fields."""

    # 64-bit: bounded records (NUMBER_MAXIMA) cannot overflow them.
    records = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    person_times = models.BigIntegerField(default=0)
    days = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    copies = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Total(Sums):
    """Roll-up totals kept by `ledger/totals.py` in the same transaction as every write.
    For each org, kind and day: the sums of the org's own records (own=True) and of all
    its descendants' records (own=False). An org's subtree figure is the sum of both rows,
    so it is read from the org's rows alone, never by walking the tree; a record adds to at
    most one row per level above it. Stats only read this table."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "day", "own"], name="unique_total")
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.day}/{'own' if self.own else 'below'}"


class Reach(models.Model):
    """For each org and kind it has records of: how many, and the first and last day. Coverage
    ("which branches have held a lecture") reads one row per org from here instead of every
    day's row; only a period that starts after an org's first record and ends before its
    last needs that org's daily rows."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    records = models.IntegerField()
    first_on = models.DateField()
    last_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "org"], name="unique_reach")]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}: {self.first_on}–{self.last_on}"


class KindTotal(Sums):
    """An org's totals of a kind over all days (own=True: its own records; False: its
    descendants'), kept with `Total`. Every record lies inside its campaign, so these are the
    whole-campaign figures a dashboard opens with, read in one row per kind."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "own"], name="unique_kind_total")
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{'own' if self.own else 'below'}"


class ReachCount(models.Model):
    """How many active orgs of `org_kind` in an org's subtree (itself included) had their
    first record of a kind on `day`. Coverage since the campaign's start ("branches that
    have held a lecture by 30 November") is a sum over these rows: no org is visited."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(max_length=20)
    day = models.DateField()
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "org_kind", "day"], name="unique_reach_count"
            )
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.org_kind}/{self.day}: {self.orgs}"


# Study: required reading and role models


class ReadingRecordQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "person__org__path"


class ReadingRecord(models.Model):
    """A cadre has read one title of the campaign's required reading."""

    person = models.ForeignKey(
        Person, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="readings"
    )
    reading = models.ForeignKey(
        Reading, verbose_name=_("title"), on_delete=models.PROTECT, related_name="records"
    )
    finished_on = models.DateField(_("finished on"))
    notes = models.TextField(_("reading notes"), blank=True)

    objects = ReadingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading record")
        verbose_name_plural = _("reading records")
        ordering = ["person__code", "reading__position"]
        constraints = [
            models.UniqueConstraint(fields=["person", "reading"], name="unique_reading_record")
        ]

    def __str__(self):
        return f"{self.person} · {self.reading}"

    def clean(self):
        self.reading.campaign.check_dates(during=[("finished_on", self.finished_on)])

    def snapshot(self):
        return snapshot(self, ["person", "reading", "finished_on", "notes"])


class OrgScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """Records scoped by the org they belong to (role models, reading class sessions)."""


class RoleModel(models.Model):
    """A role model (初心榜样) an org presents: a person or an org, with their story."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="role_models"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("presented by"), on_delete=models.PROTECT, related_name="role_models"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    honoured_org = models.ForeignKey(
        Org,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"))
    shared_on = models.DateField(_("shared on"))

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role model")
        verbose_name_plural = _("role models")
        ordering = ["-shared_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, honoured_org__isnull=True)
                | Q(person__isnull=True, honoured_org__isnull=False),
                name="role_model_person_or_org",
                violation_error_message=_(
                    "A role model is either a person or an organisation, not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(story=""),
                name="role_model_has_story",
                violation_error_message=_("A role model needs its story."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.campaign.check_dates(during=[("shared_on", self.shared_on)])

    def snapshot(self):
        return snapshot(self, ["org", "person", "honoured_org", "title", "story", "shared_on"])


class ReadingSession(models.Model):
    """One session (期) of a themed reading class (专题读书班): who organised it, when, its
    topics (专题) and its trainees. "Two batches, four sessions, 1,004 cadres, 8 topics" is
    counted from these."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="reading_sessions"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    topics = models.JSONField(_("topics"), default=list)
    trainees = models.ManyToManyField(
        Person, verbose_name=_("trainees"), related_name="reading_sessions", blank=True
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading class session")
        verbose_name_plural = _("reading class sessions")
        ordering = ["starts_on", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org", "number"], name="unique_reading_session_number"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="reading_session_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.campaign.check_dates(during=[("starts_on", self.starts_on), ("ends_on", self.ends_on)])

    @property
    def days(self):
        return (self.ends_on - self.starts_on).days + 1

    def snapshot(self, trainees=None):
        count = len(trainees) if trainees is not None else self.trainees.count()
        return snapshot(
            self, ["org", "number", "name", "starts_on", "ends_on", "topics"], trainees=count
        )
