"""`taizhang stats rebuild [--check]`: the roll-up totals are the ledger's, so their rebuild
lives with them (the command keeps its name)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from taizhang.ledger import totals
from taizhang.orgs import counts


class Command(BaseCommand):
    help = "rebuild: recompute the roll-up totals from the ledger's records and report drift."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument(
            "--check",
            action="store_true",
            help="only report drift; keep the totals as they are",
        )

    def handle(self, action, check=False, **options):
        started = time.monotonic()
        with transaction.atomic():
            result = totals.rebuild()
            tree = counts.rebuild()
            result["drift"] += tree["drift"]
            if check:
                transaction.set_rollback(True)
        seconds = time.monotonic() - started
        verb = "checked" if check else "rebuilt"
        self.stdout.write(
            f"Totals {verb}: {result['totals']} daily rows, {result['kind_totals']} kind rows, "
            f"{result['reach']} spans, {result['reach_counts']} reach counts, "
            f"{tree['subtree_counts']} subtree counts in {seconds:.1f} s; "
            f"drift: {result['drift']} rows."
        )
        if check and result["drift"]:
            raise CommandError("The kept totals differ from the records.")
