from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from taizhang.ledger import totals
        from taizhang.orgs.signals import org_reclassified, subtree_moved

        def follow_move(sender, org, old_ancestor_ids, new_ancestor_ids, **kwargs):
            totals.move_subtree(org, old_ancestor_ids, new_ancestor_ids)

        def follow_reclassification(sender, org, before, after, **kwargs):
            totals.reclassify(org, before, after)

        # Connected strongly: the handlers are local functions.
        subtree_moved.connect(follow_move, weak=False, dispatch_uid="ledger-totals-move")
        org_reclassified.connect(
            follow_reclassification, weak=False, dispatch_uid="ledger-totals-reclassify"
        )
        _register_sources()


def _register_sources():
    """The study records the statistics engine counts (see `campaigns/sources.py`)."""
    from taizhang.campaigns.sources import Source, one, register
    from taizhang.ledger.models import ReadingSession, RoleModel

    register(
        Source(
            "role_models",
            _("Role models"),
            RoleModel,
            lambda m: one(m.campaign_id, m.org, m.shared_on),
            lambda: RoleModel.objects.select_related("org"),
        )
    )
    register(
        Source(
            "reading_sessions",
            _("Reading class sessions"),
            ReadingSession,
            lambda s: one(
                s.campaign_id, s.org, s.starts_on, participants=s.trainees.count(), days=s.days
            ),
            lambda: ReadingSession.objects.select_related("org"),
        )
    )
    register(
        Source(
            "reading_topics",
            _("Reading class topics"),
            ReadingSession,
            lambda s: one(s.campaign_id, s.org, s.starts_on, count=len(s.topics)),
            lambda: ReadingSession.objects.select_related("org"),
        )
    )
