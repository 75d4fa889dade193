from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from taizhang.ledger import totals
        from taizhang.orgs.signals import (
            org_reclassified,
            sector_membership_changed,
            subtree_moved,
        )

        def follow_move(sender, org, old_ancestor_ids, new_ancestor_ids, **kwargs):
            totals.move_subtree(org, old_ancestor_ids, new_ancestor_ids)

        def follow_reclassification(sender, org, before, after, **kwargs):
            totals.reclassify(org, before, after)

        # Connected strongly: the handlers are local functions.
        subtree_moved.connect(follow_move, weak=False, dispatch_uid="ledger-totals-move")
        org_reclassified.connect(
            follow_reclassification, weak=False, dispatch_uid="ledger-totals-reclassify"
        )

        def follow_membership(sender, sector_id, org_id, sign, **kwargs):
            totals.count_member(sector_id, org_id, sign)

        sector_membership_changed.connect(
            follow_membership, weak=False, dispatch_uid="ledger-totals-sector-member"
        )
