"""`taizhang bulletin --org CODE --from D --to D --format docx|xlsx|txt|pdf [--traditional]
-o FILE`: generate a bulletin draft from the records and write it in one format.
`taizhang bulletin --check FILE` checks a template file."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang import params
from taizhang.audit.services import Actor
from taizhang.bulletins import pdf, services
from taizhang.bulletins.formats import produce
from taizhang.bulletins.template import check_against, load, templates_of
from taizhang.campaigns.models import Campaign
from taizhang.campaigns.yaml_lines import DefinitionError
from taizhang.orgs.models import Org
from taizhang.stats.periods import date_range


class Command(BaseCommand):
    help = "Generate a bulletin for an org and a period, or check a bulletin template."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="the org's code")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["docx", "xlsx", "txt", "pdf"], default="docx")
        parser.add_argument("--template", default="", help="the template's code")
        parser.add_argument("--traditional", action="store_true", help="in 繁體 characters")
        parser.add_argument("-o", "--output", help="the file to write")
        parser.add_argument("--check", metavar="FILE", help="only check a template file")

    def handle(self, *args, **options):
        started = time.monotonic()
        campaign = Campaign.objects.current()
        if options["check"]:
            return self._check(options["check"], campaign)
        if not (options["org"] and options["output"]):
            raise CommandError("Give --org CODE and -o FILE.")
        if campaign is None:
            raise CommandError("No campaign is loaded: run `taizhang campaign load FILE`.")
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"No organisation with code {options['org']!r}.")
        start, end = campaign.starts_on, campaign.ends_on
        for name in ("start", "end"):
            if options[name]:
                day = params.parse_date(options[name])
                if day is None:
                    raise CommandError(f"Not a date written YYYY-MM-DD: {options[name]!r}.")
                start, end = (day, end) if name == "start" else (start, day)
        if end < start:
            raise CommandError("--to is before --from.")
        templates = templates_of(campaign)
        code = options["template"] or next(iter(templates), "")
        if code not in templates:
            raise CommandError(f"No bulletin template {code!r} for {campaign.code}.")
        bulletin = services.generate(
            Actor.cli("taizhang bulletin"),
            load(templates[code]),
            campaign=campaign,
            org=org,
            period=date_range(start, end),
        )
        try:
            data = produce(bulletin, options["format"], options["traditional"])
        except pdf.PdfUnavailable as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            f"Bulletin for {org.code} {start}..{end}: {bulletin.figures.count()} figures, "
            f"{options['format']} written to {options['output']} ({len(data):,} bytes) in "
            f"{time.monotonic() - started:.2f} s; draft #{bulletin.pk}."
        )

    def _check(self, file, campaign):
        try:
            template = load(file)
        except DefinitionError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        problems = check_against(template, campaign) if campaign is not None else []
        if problems:
            raise CommandError(f"{file}: " + "; ".join(problems))
        self.stdout.write(f"{file}: no problems found.")
