from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

EXTRA_LABELS = {
    "parent": _("parent"),
    "units": _("Units assigned"),
    "evidence": _("Record that fulfils the item"),
    "recipients": _("Recipient"),
    "reminded": _("Reminders"),
}
# Snapshot keys that hold a code without being a field of that name.
EXTRA_REFERENCES = {"parent": "orgs.Org"}


def _display(value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    MOVE = "move", _("Moved")
    DELETE = "delete", _("Deleted")


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    CLI = "cli", _("Command line")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class ChangeQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Changes to objects inside a scope (`orgs.scope.Scope`; scope_path is the owning
        org's path, kept current when orgs move)."""
        return self.none() if scope.is_empty else self.filter(scope.q_own("scope_path"))

    def of(self, obj):
        """The changes of one object, newest first."""
        return self.filter(model=obj._meta.label_lower, object_id=str(obj.pk))


class Change(models.Model):
    """One change to one object: who, when, through which channel, before and after."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    token_name = models.CharField(_("API token"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    scope_path = models.CharField(max_length=255, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="change_object_idx")]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def changed_fields(self, scope=None):
        """(label, before, after) for each field that differs, in the reader's language:
        field names become their verbose names and choice codes their labels. With the
        reader's `scope` (orgs/scope.py), a code of an org, person or venue the reader may
        not see is replaced by the placeholder."""
        before = self.before or {}
        after = self.after or {}
        try:
            model = apps.get_model(self.model)
        except (LookupError, ValueError):
            model = None
        rows = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            old, new = ("；".join(map(str, v)) if isinstance(v, list) else v for v in (old, new))
            label, choices = EXTRA_LABELS.get(key, key), {}
            referenced = EXTRA_REFERENCES.get(key)
            if model is not None:
                try:
                    field = model._meta.get_field(key)
                except FieldDoesNotExist:
                    field = None
                if field is not None and not hasattr(field, "verbose_name"):
                    # A reverse relation (a commitment's items, a visit's findings).
                    label, field = field.related_model._meta.verbose_name_plural, None
                if field is not None:
                    label = field.verbose_name
                    choices = dict(field.flatchoices) if field.choices else {}
                    if field.is_relation and field.many_to_one:
                        referenced = field.related_model
            if scope is not None and referenced is not None:
                old, new = scope.code_shown(referenced, old), scope.code_shown(referenced, new)
            rows.append((label, _display(choices.get(old, old)), _display(choices.get(new, new))))
        return rows
