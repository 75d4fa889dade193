"""How a request to the API says who it is (a token in `Authorization: Bearer …`, or the
signed-in session of the browser showing the API's docs), what it may do, and how often."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from taizhang.api.models import Token, digest

TOUCH_EVERY = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` (or `Token <token>`). An unknown, revoked or
    expired token, or one whose user is deactivated, gets 401."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in (k.encode() for k in self.keywords):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Bearer <token>."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = Token.objects.select_related("user__org").filter(digest=digest(secret)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            Token.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser (the docs' "try it out"), with Django's CSRF check on writes."""


def token_of(request):
    return request.auth if isinstance(request.auth, Token) else None


class ApiAccess(permissions.BasePermission):
    """Signed in; a read-only token reads only; a write needs a user who may record. A
    write to one object is judged after the object is found in the user's scope, so an
    object outside it answers 404 to every role, as the pages do."""

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = token_of(request)
        if token is not None and token.read_only:
            self.message = _("This token is read-only.")
            return False
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        if lookup in getattr(view, "kwargs", {}):
            return True  # judged on the object, once found in scope
        self.message = _("Your role may not record.")
        return user.can_record

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = _("Your role may not record.")
        return request.user.can_record


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """A request-rate limit per token (per user when signed in): 429 with Retry-After."""

    scope = "token"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # the current setting

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"t{token.digest[:24]}"  # not the id: ids of deleted tokens come back
        elif request.user is not None and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
