"""`{% load scope %}`: `obj|shown:scope` is the object, or the placeholder when it lies outside
the viewer's scope; `obj|visible:scope` says which (for links). `scope` is in every page's
context (`taizhang.orgs.context.scope`)."""

from django import template

from taizhang.orgs.scope import OUTSIDE

register = template.Library()


@register.filter
def shown(obj, scope):
    return scope.shown(obj)


@register.filter
def visible(obj, scope):
    return obj is not None and scope.shown(obj) is not OUTSIDE


@register.filter
def changes_for(change, scope):
    """A history entry's changed fields, with codes outside the scope masked."""
    return change.changed_fields(scope)
