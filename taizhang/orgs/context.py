from django.utils.functional import SimpleLazyObject

from taizhang.orgs.scope import Scope


def scope(request):
    """The viewer's scope, for the `shown` and `visible` template filters."""
    return {"scope": SimpleLazyObject(lambda: Scope(getattr(request, "user", None)))}
