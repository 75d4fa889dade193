from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.office"
    verbose_name = _("Campaign office")

    def ready(self):
        _register_sources()


def _register_sources():
    """The office's records the statistics engine counts (see `campaigns/sources.py`)."""
    from django.utils import timezone

    from taizhang.campaigns.sources import Source, one, register
    from taizhang.office.models import (
        Assignment,
        Commitment,
        Finding,
        Receipt,
        SupervisionVisit,
    )
    from taizhang.research.models import Problem, ProblemSource, ProblemState

    def found(p):
        return p.source == ProblemSource.SUPERVISION

    def receipts():
        return Receipt.objects.select_related("notice", "org")

    def supervision_problems():
        return Problem.objects.filter(source=ProblemSource.SUPERVISION).select_related("org")

    for source in (
        Source(
            "commitments",
            _("Public commitments"),
            Commitment,
            lambda c: one(c.campaign_id, c.org, c.published_on),
            lambda: Commitment.objects.select_related("org"),
        ),
        Source(
            "supervision_assignments",
            _("Units assigned to supervision groups"),
            Assignment,
            lambda a: one(a.group.campaign_id, a.unit, a.assigned_on),
            lambda: Assignment.objects.select_related("group", "unit"),
        ),
        Source(
            "supervision_visits",
            _("Supervision visits"),
            SupervisionVisit,
            lambda v: one(v.group.campaign_id, v.unit, v.visited_on),
            lambda: SupervisionVisit.objects.select_related("group", "unit"),
        ),
        Source(
            "supervision_findings",
            _("Supervision findings"),
            Finding,
            lambda f: one(f.visit.group.campaign_id, f.visit.unit, f.visit.visited_on),
            lambda: Finding.objects.select_related("visit__group", "visit__unit"),
        ),
        Source(
            "supervision_problems",
            _("Problems from supervision findings"),
            Problem,
            lambda p: one(p.campaign_id, p.org, p.raised_on) if found(p) else [],
            supervision_problems,
        ),
        Source(
            "supervision_problems_closed",
            _("Problems from supervision findings closed off"),
            Problem,
            lambda p: (
                one(p.campaign_id, p.org, p.closed_on)
                if found(p) and p.state == ProblemState.CLOSED
                else []
            ),
            supervision_problems,
        ),
        Source(
            "notices_received",
            _("Notices received"),
            Receipt,
            lambda r: one(r.notice.campaign_id, r.org, timezone.localdate(r.notice.sent_at)),
            receipts,
        ),
        Source(
            "notices_answered_on_time",
            _("Notices answered on time"),
            Receipt,
            lambda r: (
                one(r.notice.campaign_id, r.org, timezone.localdate(r.replied_at))
                if r.on_time
                else []
            ),
            receipts,
        ),
    ):
        register(source)
