import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Taizhang with gunicorn (migrating first)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args, bind, workers, skip_migrate, **options):
        if not skip_migrate:
            call_command("migrate", verbosity=0)
        self.stdout.write(f"Serving Taizhang on http://{bind}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "taizhang.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--chdir",
            str(settings.SOURCE_DIR),
        ]
        env = dict(os.environ, TAIZHANG_HOME=str(settings.DATA_DIR))
        os.execve(sys.executable, argv, env)
