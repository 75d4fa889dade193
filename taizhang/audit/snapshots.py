"""What the change history keeps of an object: the one rule for every model's `snapshot()`."""

import datetime


def clean(values: dict) -> dict:
    """Values as the history keeps them: a related object by its code (its id if it has
    none), a date as ISO text; empty values (None, "" and empty lists) are left out, while
    False and 0 are kept."""
    data = {}
    for name, value in values.items():
        if hasattr(value, "_meta"):
            value = getattr(value, "code", value.pk)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        if value is None or value == "" or value == []:
            continue
        data[name] = value
    return data


def snapshot(obj, fields, **extra) -> dict:
    """`obj`'s `fields` (related objects by code), with `extra` computed values, by the rule
    of `clean`."""
    return clean({**{name: getattr(obj, name) for name in fields}, **extra})
