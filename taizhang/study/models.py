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
