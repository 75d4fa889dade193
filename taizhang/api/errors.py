"""The API's errors: JSON in the language of `Accept-Language`, and the rules' refusals
(Django's ValidationError, raised by the services) as 400 with each field's message."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from taizhang.ledger.services import ItemsRefused


class ItemsNotFound(ItemsRefused):
    """Items naming a code that is not in the user's scope: 404, as for one object, with
    each such item named."""


def item_errors(errors: dict) -> list:
    """[{index, errors: {field: [message]}}] in the items' order."""
    return [
        {"index": index, "errors": {field: [str(m)] for field, m in problems.items()}}
        for index, problems in sorted(errors.items())
    ]


def bulk_errors(errors) -> Response:
    """A bulk request's field errors ({"items": {index: errors}} from DRF) answered in the
    shape of the rules' refusals: {detail, items: [{index, errors}]}."""
    items = errors.get("items")
    if not isinstance(items, dict) or not all(str(k).isdigit() for k in items):
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {
            "detail": _("%(n)s items were refused; nothing was recorded.") % {"n": len(items)},
            "items": [
                {"index": int(index), "errors": problems}
                for index, problems in sorted(items.items(), key=lambda kv: int(kv[0]))
            ],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def handler(exc, context):
    if isinstance(exc, ItemsRefused):
        return Response(
            {
                "detail": _("%(n)s items were refused; nothing was recorded.")
                % {"n": len(exc.errors)},
                "items": item_errors(exc.errors),
            },
            status=status.HTTP_404_NOT_FOUND
            if isinstance(exc, ItemsNotFound)
            else status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    return exception_handler(exc, context)
