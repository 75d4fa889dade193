from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from taizhang.ledger import totals
        from taizhang.orgs.signals import subtree_moved

        def follow_move(sender, org, old_ancestor_ids, new_ancestor_ids, **kwargs):
            totals.move_subtree(org, old_ancestor_ids, new_ancestor_ids)

        subtree_moved.connect(follow_move, weak=False, dispatch_uid="ledger-totals-follow-move")
