"""How a running job tells its page how far it has got. Work that can run in the
background takes a `progress` argument and calls it as it goes; outside a job it is
`NO_PROGRESS`, which does nothing."""

import logging
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)
KEPT_ERRORS = 200  # the first problems found are shown while the job runs
SAVE_EVERY = 0.5  # seconds between saves of the counts


class Cancelled(Exception):
    """The user cancelled the job before it started writing."""


class NoProgress:
    def stage(self, stage, total=None):
        pass

    def count(self, **counts):
        pass

    def found(self, errors):
        pass

    def check_cancelled(self):
        pass

    def rows(self, rows, errors):
        """The rows of a sheet, for the checking loop."""
        return rows


NO_PROGRESS = NoProgress()


class Progress(NoProgress):
    """The counts of one job, saved at most every half second (and at each stage)."""

    def __init__(self, job):
        self.job = job
        self.fields = {}
        self.errors_seen = 0
        self.saved_at = 0.0

    def stage(self, stage, total=None):
        if stage != "writing" and "checked" not in self.fields:
            self.check_cancelled()  # once rows are counted, `save` asks
        self.fields["stage"] = stage
        if total is not None:
            self.fields["total"] = total
        self.save(force=True)

    def count(self, **counts):
        """rows read=…, checked=…, written=…"""
        self.fields.update(counts)
        self.save()

    def found(self, errors):
        """The problems found so far (a growing list): the new ones are shown."""
        if len(errors) == self.errors_seen:
            return
        self.errors_seen = len(errors)
        self.fields["error_count"] = len(errors)
        self.fields["errors"] = [str(e) for e in errors[:KEPT_ERRORS]]
        self.save()

    def rows(self, rows, errors):
        """The rows of a sheet, counted as checked (and `errors` shown) as the loop goes."""
        self.fields["read"] = len(rows)
        self.stage("checking", total=len(rows))
        for index, row in enumerate(rows, start=1):
            if not index & 255:
                self.count(checked=index)
                self.found(errors)
            yield row
        self.count(checked=len(rows))
        self.found(errors)

    def check_cancelled(self):
        """Raise Cancelled if the user has cancelled (asked as `save` writes)."""
        cancelled = self._on_a_free_connection(
            lambda alias: (
                type(self.job)
                .objects.using(alias)
                .filter(pk=self.job.pk, cancel_requested=True)
                .exists()
            )
        )
        if cancelled:
            raise Cancelled

    def save(self, force=False):
        now = time.monotonic()
        if not force and now - self.saved_at < SAVE_EVERY:
            return
        self.saved_at = now
        if self.fields.get("stage") != "writing" and "checked" in self.fields:
            self.check_cancelled()
        fields = dict(self.fields, progress_at=timezone.now())
        self._on_a_free_connection(
            lambda alias: (
                type(self.job).objects.using(alias).filter(pk=self.job.pk).update(**fields)
            )
        )

    def _on_a_free_connection(self, query):
        """`query(alias)` on a connection that can take it now, or None where there is none.
        Progress is for the page: the work goes on without it."""
        aliases = [self._alias()]
        busy = getattr(connections["default"], "copying", False)
        if aliases[0] == "progress" and not busy:
            aliases.append("default")  # where the second connection is refused (tests)
        for alias in aliases:
            if alias == "default" and busy:
                continue
            try:
                return query(alias)
            except Exception:
                logger.debug("job %s: progress not saved on %s", self.job.pk, alias, exc_info=True)
        return None

    @staticmethod
    def _alias():
        """Outside a transaction the job's own connection; inside the one that writes the
        records, a second connection where there is one (PostgreSQL), so that the page
        sees the counts before the records are committed. On SQLite, which has one writer,
        the job's own: the counts show when the records do."""
        if connections["default"].in_atomic_block and "progress" in settings.DATABASES:
            return "progress"
        return "default"
