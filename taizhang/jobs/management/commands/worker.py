import os
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from taizhang.jobs import services

BEAT_SECONDS = 5


class Command(BaseCommand):
    help = "Run the background worker: large imports and exports (Ctrl+C stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls")
        parser.add_argument("--parent", type=int, default=None, help="exit when this process ends")

    def handle(self, *args, interval, parent, **options):
        name = services.this_worker()
        services.beat(name)
        swept = services.sweep()
        self.stdout.write(
            f"Worker {name} waiting for background jobs"
            + (f" ({swept} left by a stopped worker marked failed)" if swept else "")
        )
        threading.Thread(target=self.keep_beating, args=(name, parent), daemon=True).start()
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=name[-64:],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()

    def keep_beating(self, name, parent):
        """Beat, sweep up after dead workers, and stop when the parent process has gone."""
        while True:
            time.sleep(BEAT_SECONDS)
            if parent is not None and os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            try:
                services.beat(name)
                services.sweep()
            except Exception:  # the database is busy or away; the next beat retries
                pass
