from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.audit.services import Actor
from taizhang.orgs import services
from taizhang.orgs.models import Org, Role


class Command(BaseCommand):
    help = "Create a user on an org (by code) with a role; the operator's way to seed the first manager."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="org code")
        parser.add_argument("--role", choices=[r.value for r in Role], default=Role.VIEWER)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="display name")

    def handle(self, *args, username, org, role, password, name, **options):
        target = Org.objects.filter(code=org).first()
        if target is None:
            raise CommandError(f"no org with code {org!r}")
        try:
            user = services.create_user(
                Actor.cli("taizhang createuser"),
                username=username,
                password=password,
                org=target,
                role=role,
                display_name=name,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"created {user.username} ({role}) on {target.name}")
