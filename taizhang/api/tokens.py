"""Creating and revoking API tokens, with history. A user makes their own; a manager may
revoke any token of a user in their scope."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.api.models import Token, digest
from taizhang.audit.services import Action, Actor, record
from taizhang.orgs.scope import Scope

MAX_DAYS = 366


@transaction.atomic
def create_token(actor: Actor, *, name, read_only=True, days=90) -> tuple[Token, str]:
    """A new token of the actor's own, valid for `days`; returns it and its secret, which is
    shown once and never stored."""
    user = actor.user
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("Between 1 and %(n)s days.") % {"n": MAX_DAYS}})
    secret = Token.new_secret()
    token = Token(
        user=user,
        name=name[:100],
        hint=secret[:10],
        digest=digest(secret),
        read_only=bool(read_only) or not user.can_record,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    record(actor, Action.CREATE, token, after=token.snapshot(), scope_path=_path(user))
    return token, secret


@transaction.atomic
def revoke_token(actor: Actor, token: Token) -> Token:
    """Revoke a token: its owner may, and so may a manager whose scope holds the owner."""
    user = actor.user
    own = user is not None and token.user_id == user.pk
    manages = user is not None and user.can_manage and Scope.of(user).has_org(token.user.org)
    if user is not None and not own and not manages:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    before = token.snapshot()
    token.revoked_at = timezone.now()
    token.revoked_by = actor.label[:150]
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor,
        Action.UPDATE,
        token,
        before=before,
        after=token.snapshot(),
        scope_path=_path(token.user),
    )
    return token


def _path(user):
    return user.org.path if user.org_id else ""
