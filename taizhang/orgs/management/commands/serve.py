import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Taizhang with gunicorn (migrating first), with a background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--skip-migrate", action="store_true")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `taizhang worker` elsewhere)",
        )

    def handle(self, *args, bind, workers, skip_migrate, no_worker, **options):
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
        if not no_worker:
            # The worker outlives this process's image (gunicorn takes its place, with the
            # same pid) and stops when gunicorn does.
            subprocess.Popen(
                [sys.executable, "-m", "taizhang.cli", "worker", "--parent", str(os.getpid())],
                env=env,
            )
            self.stdout.write("Background worker started beside the web server.")
            sys.stdout.flush()
        os.execve(sys.executable, argv, env)
