from django.core.management.base import BaseCommand, CommandError

from taizhang.audit.services import Actor
from taizhang.campaigns import definition, sections


class Command(BaseCommand):
    help = "Campaign definitions: `campaign load FILE` checks a YAML definition and loads it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="check and load (or reload) a definition")
        load.add_argument("file")
        sub.add_parser("check", help="check a definition without loading it").add_argument("file")

    def handle(self, *args, action, file, **options):
        try:
            if action == "check":
                with open(file, encoding="utf-8") as handle:
                    definition.parse(handle.read(), file)
                self.stdout.write(f"{file}: no problems found.")
                return
            campaign, created = definition.load(Actor.cli("taizhang campaign load"), file)
        except (definition.DefinitionError, OSError) as exc:
            errors = getattr(exc, "errors", [str(exc)])
            raise CommandError(
                f"{len(errors)} problem(s); nothing was loaded:\n" + "\n".join(errors)
            ) from None
        counts = [
            f"{campaign.batches.count()} batches",
            f"{campaign.kinds.count()} kinds",
            f"{campaign.metrics.count()} metrics",
            f"{campaign.targets.count()} targets",
        ] + [f"{s.count(campaign)} {s.key}s" for s in sections.SECTIONS.values()]
        self.stdout.write(
            f"{'Loaded' if created else 'Reloaded'} {campaign.code}: {', '.join(counts)}."
        )
