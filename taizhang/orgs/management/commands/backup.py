"""`taizhang backup FILE`: the whole installation (database and files) into one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent snapshot of everything (database and files) to FILE (.tar)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        try:
            manifest = backup(Path(file))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        figures = manifest["figures"]
        tables = figures["tables"]
        self.stdout.write(
            f"Backed up to {file} ({manifest['engine']}): {tables.get('orgs.Org', 0)} orgs, "
            f"{tables.get('ledger.Activity', 0)} records, {tables.get('audit.Change', 0)} "
            f"history entries, {tables.get('orgs.User', 0)} users, totals of "
            f"{figures['orgs_with_totals']} orgs."
        )
