from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.research"
    verbose_name = _("Research and problem solving")

    def ready(self):
        from taizhang.campaigns.sources import counted
        from taizhang.ledger import totals
        from taizhang.orgs.signals import liaison_changed

        def follow_liaison(sender, liaison, assigned, **kwargs):
            entries = counted(liaison)
            totals.recount(*(([], entries) if assigned else (entries, [])))

        liaison_changed.connect(follow_liaison, weak=False, dispatch_uid="research-adoptions")
        _register_sources()


def _register_sources():
    """The research records the statistics engine counts (see `campaigns/sources.py`)."""
    from taizhang.campaigns.models import Campaign
    from taizhang.campaigns.sources import Source, one, register
    from taizhang.orgs.models import Liaison, LiaisonKind
    from taizhang.research.models import (
        Problem,
        ProblemState,
        Rectification,
        RectificationState,
        ResearchReport,
    )

    def problems():
        return Problem.objects.select_related("org")

    def on_spot(p):
        return one(p.campaign_id, p.org, p.raised_on) if p.solved_on_spot else []

    def closed(p):
        return one(p.campaign_id, p.org, p.closed_on) if p.state == ProblemState.CLOSED else []

    def rectified(r):
        done = r.state in (RectificationState.RECTIFIED, RectificationState.VERIFIED)
        return one(r.campaign_id, r.village, r.rectified_on) if done else []

    def adoption(liaison):
        """An adoption counts once in every campaign it overlaps, on the leader's org."""
        if liaison.kind != LiaisonKind.ADOPTION:
            return []
        campaigns = Campaign.objects.filter(ends_on__gte=liaison.started_on)
        return [
            (c.pk, liaison.person.org, max(c.starts_on, liaison.started_on), {"count": 1})
            for c in campaigns.only("pk", "starts_on")
        ]

    for source in (
        Source(
            "problems",
            _("Problems on the list"),
            Problem,
            lambda p: one(p.campaign_id, p.org, p.raised_on),
            problems,
        ),
        Source(
            "problems_solved_on_spot", _("Problems solved on the spot"), Problem, on_spot, problems
        ),
        Source("problems_closed", _("Problems closed off"), Problem, closed, problems),
        Source(
            "rectified_villages",
            _("Lagging villages rectified"),
            Rectification,
            rectified,
            lambda: Rectification.objects.select_related("village"),
        ),
        Source(
            "research_reports",
            _("Research reports"),
            ResearchReport,
            lambda r: one(r.campaign_id, r.org, r.submitted_on),
            lambda: ResearchReport.objects.select_related("org"),
        ),
        Source(
            "adoptions",
            _("Town adoptions"),
            Liaison,
            adoption,
            lambda: Liaison.objects.filter(kind=LiaisonKind.ADOPTION).select_related("person__org"),
        ),
    ):
        register(source)
