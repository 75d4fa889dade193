"""The office's levers beside the ledger: a leadership team's public commitments (公开承诺)
and their evidence, supervision groups (督导组) with their visits and findings, and
notices sent down the tree with their receipts (通知/回执/催报). Every write goes
through `office/services/`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.audit.snapshots import snapshot
from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Org, Person, ScopedQuerySetMixin, User
from taizhang.orgs.scope import Scope


class ScopedQuery(ScopedQuerySetMixin, models.QuerySet):
    """Records scoped by the org they belong to."""


# Public commitments


class Commitment(models.Model):
    """A leadership team's published commitment (公开承诺), one per org and campaign, with
    its items."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="commitments")
    org = models.ForeignKey(
        Org, verbose_name=_("leadership team of"), on_delete=models.PROTECT,
        related_name="commitments",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    published_on = models.DateField(_("published on"))
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuery.as_manager()

    class Meta:
        verbose_name = _("public commitment")
        verbose_name_plural = _("public commitments")
        ordering = ["org__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org"], name="unique_commitment_per_team"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.campaign.check_dates(during=[("published_on", self.published_on)])

    def snapshot(self):
        items = [f"{i.group}｜{i.text}" if i.group else i.text for i in self.items.all()]
        return snapshot(self, ["title", "org", "published_on"], items=items if self.pk else [])


class CommitmentItem(models.Model):
    """One item of a commitment, e.g. one of the "五个始终", under its group heading."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    group = models.CharField(_("group"), max_length=60, blank=True)
    text = models.CharField(_("item"), max_length=500)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("Items")
        ordering = ["commitment", "position", "id"]

    def __str__(self):
        return self.text


class EvidenceKind(models.TextChoices):
    ACTIVITY = "activity", _("Ledger record")
    TOPIC = "topic", _("Research topic")
    PROBLEM = "problem", _("Problem solved")


class Evidence(models.Model):
    """A record that fulfils a commitment item: an activity, a research topic or a solved
    problem of the team's org (exactly one is set)."""

    item = models.ForeignKey(CommitmentItem, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey(
        "ledger.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        "research.ResearchTopic", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    problem = models.ForeignKey(
        "research.Problem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(activity__isnull=False, topic__isnull=True, problem__isnull=True)
                    | Q(activity__isnull=True, topic__isnull=False, problem__isnull=True)
                    | Q(activity__isnull=True, topic__isnull=True, problem__isnull=False)
                ),
                name="evidence_names_one_record",
                violation_error_message=_("Evidence names exactly one record."),
            ),
        ]

    def __str__(self):
        return str(self.record)

    @property
    def record(self):
        return self.activity or self.topic or self.problem

    @property
    def kind(self):
        if self.activity_id:
            return EvidenceKind.ACTIVITY
        return EvidenceKind.TOPIC if self.topic_id else EvidenceKind.PROBLEM


# Supervision


class GroupKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision group (督导组)")
    TOURING = "touring", _("Touring guidance group (巡回指导组)")


class SupervisionGroup(models.Model):
    """A supervision group set up by an office (its org): a leader, members and the units
    it is assigned."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="supervision_groups"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("set up by"), on_delete=models.PROTECT,
        related_name="supervision_groups",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=GroupKind.choices, default=GroupKind.SUPERVISION
    )
    leader = models.ForeignKey(
        Person, verbose_name=_("group leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), related_name="supervision_groups", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuery.as_manager()

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["org__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org", "name"], name="unique_supervision_group_name"
            ),
        ]

    def __str__(self):
        return self.name

    def snapshot(self):
        members = sorted(self.members.values_list("code", flat=True)) if self.pk else []
        units = sorted(self.assignments.values_list("unit__code", flat=True)) if self.pk else []
        return snapshot(self, ["name", "kind", "org", "leader"], members=members, units=units)


class AssignmentQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "unit__path"


class Assignment(models.Model):
    """A unit assigned to a supervision group, from a day."""

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Org, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["group", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="unique_group_unit"),
        ]

    def __str__(self):
        return f"{self.group.name} · {self.unit.name}"


class VisitQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """A visit is the visited unit's: whoever sees the unit sees its visits."""

    scope_path_field = "unit__path"


class SupervisionVisit(models.Model):
    """A supervision visit (督导) to an assigned unit: what was checked and what was found."""

    group = models.ForeignKey(
        SupervisionGroup, verbose_name=_("Group"), on_delete=models.PROTECT,
        related_name="visits",
    )  # fmt: skip
    unit = models.ForeignKey(
        Org, verbose_name=_("unit visited"), on_delete=models.PROTECT,
        related_name="supervision_visits",
    )  # fmt: skip
    visited_on = models.DateField(_("visited on"))
    checked = models.TextField(_("what was checked"))
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.group.name} · {self.unit.name} · {self.visited_on:%Y-%m-%d}"

    def clean(self):
        self.group.campaign.check_dates(during=[("visited_on", self.visited_on)])

    def snapshot(self):
        findings = [f.text for f in self.findings.all()] if self.pk else []
        return snapshot(
            self, ["unit", "visited_on", "checked"], group=self.group.name, findings=findings
        )


class Finding(models.Model):
    """What a visit found; it may be turned into a problem on the unit's problem list,
    which keeps the link."""

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("finding"), max_length=500)
    problem = models.OneToOneField(
        "research.Problem", null=True, blank=True, on_delete=models.PROTECT,
        related_name="finding",
    )  # fmt: skip

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("Findings")
        ordering = ["visit", "position", "id"]

    def __str__(self):
        return self.text


# Notices and receipts


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notice is seen by its sender's subtree and by the orgs it was sent to, with
        their subtrees (whose receipts roll up to them)."""
        scope = Scope.of(user)
        if scope.is_empty:
            return self.none()
        if scope.path == "":
            return self
        received = Receipt.objects.filter(scope.q_own("org__path")).values("notice_id")
        return self.filter(scope.q_own("sender__path") | Q(pk__in=received))


class Notice(models.Model):
    """A notice (通知) sent by an org's office down to orgs of its subtree, with a deadline
    for replies."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="notices")
    sender = models.ForeignKey(
        Org, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="notices_sent"
    )
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    deadline = models.DateField(_("reply by"))
    chosen_as = models.CharField(_("recipients chosen as"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return self.title

    def snapshot(self):
        return snapshot(self, ["title", "sender", "deadline", "chosen_as"])


class ReceiptState(models.TextChoices):
    UNREAD = "unread", _("Not read")
    READ = "read", _("Read, not replied")
    REPLIED = "replied", _("Replied")
    OVERDUE = "overdue", _("Overdue")


class ReceiptQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A receipt is seen by the recipient's subtree and by the sender's."""
        scope = Scope.of(user)
        if scope.is_empty:
            return self.none()
        return self.filter(scope.q_own("org__path") | scope.q_own("notice__sender__path"))

    def in_state(self, state, today):
        if state == ReceiptState.REPLIED:
            return self.filter(replied_at__isnull=False)
        if state == ReceiptState.OVERDUE:
            return self.filter(replied_at__isnull=True, notice__deadline__lt=today)
        waiting = self.filter(replied_at__isnull=True, notice__deadline__gte=today)
        if state == ReceiptState.READ:
            return waiting.filter(read_at__isnull=False)
        return waiting.filter(read_at__isnull=True)


class Receipt(models.Model):
    """One recipient org of a notice: when its users first read it, its reply (回执) and
    the reminders (催报) sent to it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    org = models.ForeignKey(
        Org, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="receipts"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["notice", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "org"], name="unique_notice_recipient"),
        ]

    def __str__(self):
        return f"{self.notice.title} · {self.org.name}"

    def state(self, today):
        if self.replied_at is not None:
            return ReceiptState.REPLIED
        if self.notice.deadline < today:
            return ReceiptState.OVERDUE
        return ReceiptState.READ if self.read_at else ReceiptState.UNREAD

    @property
    def on_time(self):
        from django.utils import timezone

        return self.replied_at is not None and (
            timezone.localdate(self.replied_at) <= self.notice.deadline
        )

    def snapshot(self):
        return snapshot(self, ["notice", "org", "read_at", "reply", "replied_at", "reminders"])


class Attachment(models.Model):
    """A file sent with a notice or a reply: kept by the app under its digest, served only
    as a download."""

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__isnull=False, receipt__isnull=True)
                | Q(notice__isnull=True, receipt__isnull=False),
                name="attachment_of_notice_or_receipt",
                violation_error_message=_("An attachment belongs to a notice or to a reply."),
            ),
        ]

    def __str__(self):
        return self.name
