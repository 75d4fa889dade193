"""`taizhang ingest FILE [--org CODE] --json`: read a report and print its figures."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.campaigns.models import Campaign
from taizhang.ingest.files import UnreadableFile, read_file
from taizhang.ingest.reader import read
from taizhang.orgs.models import Org


class Command(BaseCommand):
    help = "Read a narrative report (.txt, .docx, .pdf, .html or .zip) and list its figures."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="the code of the org the report speaks for")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, file, org=None, json=False, **options):
        campaign = Campaign.objects.current()
        if campaign is None:
            raise CommandError("No campaign is loaded: run `taizhang campaign load FILE`.")
        if org and not Org.objects.filter(code=org).exists():
            raise CommandError(f"No organisation with code {org!r}.")
        path = Path(file)
        try:
            documents = read_file(path.name, path.read_bytes())
        except (OSError, UnreadableFile) as exc:
            raise CommandError(str(exc)) from None
        figures = []
        for name, text in documents:
            for figure in read(text, campaign).as_json():
                figures.append({**figure, "file": name} if len(documents) > 1 else figure)
        if json:
            self.stdout.write(_dumps(figures))
            return
        mapped = sum(1 for f in figures if f["metric"])
        for f in figures:
            self.stdout.write(
                f"{f['start']:>6} {f['value']:>12} {f['unit']:<5} "
                f"{'≈' if f['approximate'] else ' '} {f['metric'] or '—':<26} {f['phrase']}"
            )
        self.stdout.write(f"{len(figures)} figures read from {file}; {mapped} matched to metrics.")


def _dumps(figures):
    return json.dumps(figures, ensure_ascii=False, indent=2)
