"""API tokens and the idempotency keys of the API's creates."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import ScopedQuerySetMixin

PREFIX = "tz_"


def digest(secret: str) -> str:
    """What is stored of a token: its SHA-256. A token is 32 random bytes, so a fast hash
    is enough (no password-style stretching is needed to resist guessing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "user__org__path"

    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class Token(models.Model):
    """An API token: it acts as its user, with the user's scope and role, never more; a
    read-only token cannot write. Only its hash is stored; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    hint = models.CharField(_("begins with"), max_length=12)  # shown to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(_("read-only"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.CharField(_("revoked by"), max_length=150, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def new_secret() -> str:
        return PREFIX + secrets.token_urlsafe(32)

    def snapshot(self):
        return {
            "name": self.name,
            "read_only": self.read_only,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class IdempotencyKey(models.Model):
    """The first answer to a create sent with an `Idempotency-Key` header, kept for a day so
    that a retried request gets that answer and records nothing twice, whichever worker
    serves it. The key row is written in the create's own transaction: a second request
    with the same key waits on the unique index until the first commits, then replays."""

    KEPT = datetime.timedelta(hours=24)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # method, path and body of the request
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self):
        return self.key
