from django.core.management import call_command
from django.core.management.base import BaseCommand

from taizhang.demo import ningbo
from taizhang.orgs.models import OrgKind


class Command(BaseCommand):
    help = "Build the Ningbo 2019 demo (idempotent), print its counts and logins, then serve it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="number of cities (1 = Ningbo only)"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="build only; do not start the server"
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, scale, no_serve, bind, **options):
        if scale < 1:
            self.stderr.write("--scale must be 1 or more")
            raise SystemExit(2)
        call_command("migrate", verbosity=0)
        self.stdout.write(
            "Building the Ningbo demo…" if scale == 1 else f"Building the demo at scale {scale}…"
        )
        result = ningbo.build(scale=scale, stdout=self.stdout)
        self.stdout.write(
            "Demo " + ("created." if result.created else "already present; nothing added.")
        )
        self.stdout.write("Organisations by level:")
        for depth in sorted(result.by_depth):
            self.stdout.write(f"  level {depth}: {result.by_depth[depth]}")
        self.stdout.write("Organisations by kind:")
        for kind in OrgKind:
            if result.by_kind.get(kind):
                self.stdout.write(f"  {kind.label} ({kind.value}): {result.by_kind[kind]}")
        self.stdout.write(f"People: {result.people}")
        self.stdout.write(f"Venues: {result.venues}")
        self.stdout.write(f"Activities recorded: {result.activities}")
        self.stdout.write(f"Logins (password for all: {ningbo.DEMO_PASSWORD}):")
        for login, _password, org, role, who in result.users:
            self.stdout.write(f"  {login:<16} {role:<9} {org}  — {who}")
        if not no_serve:
            call_command("serve", bind=bind, skip_migrate=True)
