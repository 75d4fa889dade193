"""One access helper per object type of the research pages: the object if it lies in the
user's scope, else 404 (DESIGN.md rule 1)."""

from taizhang.orgs.models import Liaison
from taizhang.params import get_or_404
from taizhang.research.models import Problem, Rectification, ResearchReport, ResearchTopic


def get_problem(user, pk) -> Problem:
    return get_or_404(
        Problem.objects.visible_to(user).select_related("org", "leader", "campaign"), pk
    )


def get_report(user, pk) -> ResearchReport:
    return get_or_404(
        ResearchReport.objects.visible_to(user).select_related(
            "org", "author", "topic", "campaign"
        ),
        pk,
    )


def get_topic(user, pk, campaign=None) -> ResearchTopic:
    topics = ResearchTopic.objects.visible_to(user).select_related("org", "leader")
    if campaign is not None:
        topics = topics.filter(campaign=campaign)
    return get_or_404(topics, pk)


def get_rectification(user, pk) -> Rectification:
    return get_or_404(
        Rectification.objects.visible_to(user).select_related("village", "campaign"), pk
    )


def get_liaison(user, pk) -> Liaison:
    return get_or_404(
        Liaison.objects.visible_to(user).select_related("person", "person__org", "org"), pk
    )
