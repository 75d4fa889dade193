"""One access helper per study record type: the object if it lies in the user's scope,
else 404 (DESIGN.md rule 1)."""

from taizhang.params import get_or_404
from taizhang.study.models import ReadingClass, RoleModel


def get_reading_class(user, pk) -> ReadingClass:
    return get_or_404(ReadingClass.objects.visible_to(user).select_related("org"), pk)


def get_role_model(user, pk) -> RoleModel:
    return get_or_404(
        RoleModel.objects.visible_to(user).select_related("org", "person", "honoured_org"), pk
    )
