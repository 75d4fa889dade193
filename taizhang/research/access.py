from django.shortcuts import get_object_or_404

from taizhang.research.models import Problem


def get_problem(user, pk) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(user).select_related("org", "leader", "campaign"), pk=pk
    )
