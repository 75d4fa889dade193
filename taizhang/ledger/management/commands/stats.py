"""`taizhang stats rebuild [--check] [--background --user NAME]`: the roll-up totals are the
ledger's, so their rebuild lives with them (the command keeps its name)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taizhang.jobs import services as jobs
from taizhang.ledger import totals
from taizhang.orgs.models import User


class Command(BaseCommand):
    help = "rebuild: recompute the roll-up totals from the ledger's records and report drift."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument(
            "--check",
            action="store_true",
            help="only report drift; keep the totals as they are",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the rebuild for the worker and return; its page shows the result",
        )
        parser.add_argument("--user", help="with --background: the superuser it runs for")

    def handle(self, action, check=False, background=False, user=None, **options):
        if background:
            return self.queue(check, user)
        started = time.monotonic()
        result = totals.rebuild_everything(check)
        seconds = time.monotonic() - started
        verb = "checked" if check else "rebuilt"
        self.stdout.write(
            f"Totals {verb}: {result['totals']} daily rows, {result['kind_totals']} kind rows, "
            f"{result['reach']} spans, {result['month_reach']} month spans, "
            f"{result['month_reach_counts']} month counts, "
            f"{result['reach_counts']} reach counts, {result['subtree_counts']} subtree counts "
            f"in {seconds:.1f} s; drift: {result['drift']} rows."
        )
        if check and result["drift"]:
            raise CommandError("The kept totals differ from the records.")

    def queue(self, check, username):
        owner = User.objects.filter(username=username or "", is_superuser=True).first()
        if owner is None:
            raise CommandError("--background needs --user, the name of a superuser.")
        title = (
            _("Checking the totals against the records") if check else _("Rebuilding the totals")
        )
        job = jobs.start(owner, "ledger.rebuild", title, params={"check": check})
        self.stdout.write(f"Queued job {job.pk}: {job.get_absolute_url()}")
