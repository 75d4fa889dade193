"""Serializer fields shared by the API's resources: related objects named by their codes,
and shown only when the reader may open them (otherwise null), as the pages show them."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "nullable": True})
class ShownCode(serializers.Field):
    """The code of a linked org, person or venue, or null when it lies outside the
    reader's scope (`context["scope"]`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.code if self.context["scope"].shown(value) is value else None


@extend_schema_field({"type": "string", "nullable": True})
class ShownName(ShownCode):
    def to_representation(self, value):
        return str(value) if self.context["scope"].shown(value) is value else None


@extend_schema_field({"type": "number", "nullable": True})
class Number(serializers.Field):
    """A figure: a whole number as an integer, anything else as a decimal number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


@extend_schema_field(OpenApiTypes.STR)
class Label(serializers.Field):
    """The display label of a choice field (`get_<name>_display`), in the reader's language."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        self.name = name
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return str(getattr(obj, f"get_{self.name}_display")())
