"""`Idempotency-Key` on the API's creates: a request retried with the same key gets the
first answer and records nothing twice, across workers and restarts (the keys live in the
database for 24 hours); the same key with another request body is refused with 409."""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from taizhang.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY = 255


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_conflict"


def fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder, ensure_ascii=False)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(row, print_):
    if row.fingerprint != print_:
        raise Conflict(_("This Idempotency-Key was used for a different request."))
    if row.status is None:  # only when the first is still running on a database without locks
        raise Conflict(_("A request with this Idempotency-Key is still being processed."))
    headers = {"Idempotent-Replayed": "true"}
    if row.location:
        headers["Location"] = row.location
    return Response(row.body, status=row.status, headers=headers)


def idempotent(action):
    """Wrap a viewset action that creates: with the header, the key is claimed in the
    create's transaction and the answer kept with it."""

    @functools.wraps(action)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return action(view, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            raise ValidationError(
                {HEADER: [_("Between 1 and %(n)s printable characters.") % {"n": MAX_KEY}]}
            )
        print_ = fingerprint(request)
        user = request.user
        IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IdempotencyKey.KEPT).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(user=user, key=key, fingerprint=print_)
            except IntegrityError:
                row = None
            if row is not None:
                response = action(view, request, *args, **kwargs)
                row.status = response.status_code
                row.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                row.location = response.headers.get("Location", "")[:500]
                row.save(update_fields=["status", "body", "location"])
                return response
        # Taken: the first request has committed (a concurrent one waited for it above).
        return _replay(IdempotencyKey.objects.get(user=user, key=key), print_)

    return wrapper
