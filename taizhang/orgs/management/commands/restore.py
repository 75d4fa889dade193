"""`taizhang restore FILE`: a backup into an empty installation, then checked: every
table's rows and every org's totals compared with what the backup counted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `taizhang backup` into this empty installation."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        try:
            result = restore(Path(file))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        expected, found = result["expected"], result["found"]
        differ = sorted(
            label
            for label in set(expected["tables"]) | set(found["tables"])
            if expected["tables"].get(label) != found["tables"].get(label)
        )
        tables = found["tables"]
        self.stdout.write(
            f"Restored from {file}: {tables.get('orgs.Org', 0)} orgs, "
            f"{tables.get('ledger.Activity', 0)} records, {tables.get('audit.Change', 0)} "
            f"history entries, {tables.get('orgs.User', 0)} users; "
            f"tables compared: {len(tables)}, differing: {len(differ)}; totals of "
            f"{found['orgs_with_totals']} orgs "
            f"{'identical' if expected['totals'] == found['totals'] else 'DIFFERENT'}."
        )
        if not result["same"]:
            raise CommandError(f"The restored data differ from the backup: {', '.join(differ)}")
