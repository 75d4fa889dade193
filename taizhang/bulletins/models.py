"""Bulletins (简报): generated for an org and a period from a template, kept as a draft the
office may edit, then issued with its number (第N期) and frozen. Every figure in one is
stored with what produced it (its provenance): org, metric, period and value."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Org, ScopedQuerySetMixin


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class BulletinQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """Bulletins of the orgs in a user's scope (the org a bulletin speaks for)."""


class Bulletin(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="bulletins"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="bulletins"
    )
    # A sector system's bulletin (its figures the system's; `org` its department).
    sector = models.ForeignKey(
        "orgs.Sector",
        verbose_name=_("sector system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    template = models.CharField(_("template"), max_length=60)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    name = models.CharField(_("bulletin name"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    office = models.CharField(_("issuing office"), max_length=100)
    # [{"heading": str, "paragraphs": [[{"text": str} | {"slot": key}, …], …]}, …]
    body = models.JSONField(_("text"), default=list)
    footer = models.JSONField(_("footer block"), default=list)  # [[报, recipients], …]
    copies = models.PositiveIntegerField(_("copies printed"), default=60)
    state = models.CharField(
        _("state"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-year", "-number", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "number"],
                condition=Q(number__isnull=False),
                name="unique_bulletin_number",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="bulletin_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft", number__isnull=True)
                | Q(state="issued", number__isnull=False, year__isnull=False),
                name="bulletin_issued_has_number",
                violation_error_message=_("An issued bulletin has its number; a draft has none."),
            ),
        ]

    def __str__(self):
        if self.number:
            return f"{self.name}（{self.year}年第{self.number}期）"
        return f"{self.name}（{_('draft')}）"

    @property
    def is_draft(self):
        return self.state == BulletinState.DRAFT

    def snapshot(self):
        from taizhang.audit.snapshots import snapshot

        return snapshot(
            self,
            ["org", "template", "starts_on", "ends_on", "title", "state", "year", "number"],
        )


class BulletinFigure(models.Model):
    """One figure of a bulletin and what produced it: the value of `metric` for `org`'s
    subtree from `starts_on` to `ends_on`, written `text` in the bulletin."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(max_length=80)  # the slot's key in the body
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(_("metric"), max_length=60)
    style = models.CharField(max_length=20, default="number")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True)
    text = models.CharField(_("as written"), max_length=2000)

    class Meta:
        verbose_name = _("bulletin figure")
        verbose_name_plural = _("bulletin figures")
        ordering = ["bulletin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "key"], name="unique_bulletin_figure"),
        ]

    def __str__(self):
        return f"{self.metric}: {self.text}"


class BulletinOffice(models.Model):
    """What an office prints on its bulletins: its name in the masthead, the recipients of
    the footer block (报, 送, 发) and the copies printed; a template's defaults otherwise."""

    org = models.OneToOneField(
        Org, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("issuing office"), max_length=100)
    report_to = models.CharField(_("报 (reported to)"), max_length=300, blank=True)
    send_to = models.CharField(_("送 (sent to)"), max_length=300, blank=True)
    issue_to = models.CharField(_("发 (issued to)"), max_length=300, blank=True)
    copies = models.PositiveIntegerField(_("copies printed"), default=60)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin office")
        verbose_name_plural = _("bulletin offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(copies__gte=1) & Q(copies__lte=100000),
                name="bulletin_office_copies_in_range",
                violation_error_message=_("Copies printed lie between 1 and 100,000."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def footer(self):
        pairs = (("报", self.report_to), ("送", self.send_to), ("发", self.issue_to))
        return [[label, text] for label, text in pairs if text]

    def snapshot(self):
        from taizhang.audit.snapshots import snapshot

        return snapshot(self, ["org", "name", "report_to", "send_to", "issue_to", "copies"])
