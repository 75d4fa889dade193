"""Study records: the campaign's required reading and who has read it, role models, and
reading classes (专题读书班) with their topics and trainees.

These tables were first made by the ledger and campaigns apps; they keep their table names
(`db_table`), so moving the models here moved no data (migration 0001)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.audit.snapshots import snapshot
from taizhang.campaigns.models import ReadingCategory
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin


class Reading(models.Model):
    """A title of the campaign's required reading, loaded from the campaign's definition."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="readings"
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ReadingCategory.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "campaigns_reading"
        verbose_name = _("required reading")
        verbose_name_plural = _("required reading")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_reading_code"),
        ]

    def __str__(self):
        return self.title


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
        db_table = "ledger_readingrecord"
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
    """Records scoped by the org they belong to (role models, reading classes)."""


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
        db_table = "ledger_rolemodel"
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


class ReadingClass(models.Model):
    """A themed reading class (专题读书班), one row per session (期): who organised it, when,
    its topics (专题) and its trainees. "Two batches, four sessions, 1,004 cadres, 8 topics"
    is counted from these."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="reading_classes"
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
        Person, verbose_name=_("trainees"), related_name="reading_classes", blank=True
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        db_table = "ledger_readingsession"
        verbose_name = _("reading class")
        verbose_name_plural = _("reading classes")
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


# The online course library (线上课程)


class CourseMedia(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    PDF = "pdf", _("PDF document")


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A course is published for its org's subtree: everyone below sees it, and so does
        everyone above (whose subtree holds the org)."""
        from taizhang.orgs.scope import Scope

        scope = Scope.of(user)
        if scope.is_empty:
            return self.none()
        return self.filter(scope.q_or_above("org__path"))


class Course(models.Model):
    """A course of the library (红色故事汇, 名师微课, …): a video, audio or PDF kept and served by
    the app, published by an org for its subtree."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="courses"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(_("series"), max_length=40)
    lecturer = models.CharField(_("lecturer"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    media = models.CharField(_("media"), max_length=10, choices=CourseMedia.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title

    def snapshot(self):
        return snapshot(
            self, ["title", "series", "lecturer", "required", "media", "file_name", "org"]
        )


class ViewingQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """A viewing is counted on the viewer's org: whoever sees the org sees it."""


class Viewing(models.Model):
    """A signed-in user's viewing of a course: when it began, when last seen, how far."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="viewings")
    user = models.ForeignKey("orgs.User", on_delete=models.CASCADE, related_name="viewings")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"))
    position = models.PositiveIntegerField(_("seconds watched up to"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    objects = ViewingQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="unique_course_viewer"),
        ]

    def __str__(self):
        return f"{self.course} · {self.user}"


class GroupViewing(models.Model):
    """组织党员集中观看: a unit's members watching a course together, in person-times."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="group_viewings")
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    viewed_on = models.DateField(_("viewed on"))
    person_times = models.PositiveIntegerField(_("person-times"))
    recorded_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ViewingQuerySet.as_manager()

    class Meta:
        verbose_name = _("group viewing")
        verbose_name_plural = _("group viewings")
        ordering = ["-viewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_times__gte=1, person_times__lte=100_000),
                name="group_viewing_person_times_in_range",
                violation_error_message=_("Person-times lie between 1 and 100,000."),
            ),
        ]

    def __str__(self):
        return f"{self.course} · {self.org.name} · {self.viewed_on:%Y-%m-%d}"

    def clean(self):
        self.course.campaign.check_dates(during=[("viewed_on", self.viewed_on)])

    def snapshot(self):
        return snapshot(self, ["course", "org", "viewed_on", "person_times"])
