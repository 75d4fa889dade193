"""Deadline day: many clerks writing into the same town at once, on PostgreSQL (SQLite has
one writer at a time). Afterwards every record acknowledged exists exactly once, and every
ancestor's totals equal the raw sums (`stats rebuild --check` finds no drift): the totals
upserts take their row locks in one order, so concurrent saves and imports never deadlock."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import TransactionTestCase

from taizhang.audit.services import Actor
from taizhang.jobs.tests.scenario import lecture_file
from taizhang.ledger import imports, services
from taizhang.ledger.models import Activity, Total
from taizhang.testing import SYSTEM, build_ledger, build_small_ningbo

THREADS, EACH = 20, 50


def in_threads(work, count):
    """Run work(n) in `count` threads at once, each on its own connection; the errors."""
    errors, start = [], threading.Barrier(count)

    def run(n):
        try:
            start.wait()
            work(n)
        except Exception as exc:  # reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
class ConcurrentWritesTests(TransactionTestCase):
    def setUp(self):
        build_small_ningbo(self)
        build_ledger(self)
        self.lecture_kind = self.kinds["party_lecture"]
        self.before = Activity.objects.count()

    def assert_totals_hold(self):
        out = io.StringIO()
        call_command("stats", "rebuild", "--check", stdout=out)
        self.assertIn("drift: 0 rows", out.getvalue())

    def test_twenty_clerks_record_fifty_lectures_each_into_one_town(self):
        places = [self.shiqi, self.xinlian]

        def record(n):
            for i in range(EACH):
                services.create_activity(
                    SYSTEM,
                    kind=self.lecture_kind,
                    org=places[(n + i) % 2],
                    starts_on=datetime.date(2019, 10, 1) + datetime.timedelta(days=i % 20),
                    lecturer_role="member",
                    participants=n + 1,
                )

        errors = in_threads(record, THREADS)
        self.assertEqual(errors, [])
        self.assertEqual(Activity.objects.count(), self.before + THREADS * EACH)
        city = Total.objects.filter(org=self.city, kind=self.lecture_kind, day__month=10)
        self.assertEqual(sum(t.records for t in city), THREADS * EACH)
        self.assert_totals_hold()

    def test_imports_racing_with_single_records_into_the_same_orgs(self):
        files = [
            lecture_file(self.lecture_kind, [self.shiqi, self.xinlian], 300 + n) for n in range(4)
        ]

        def work(n):
            if n < len(files):
                actor = Actor(user=self.bob, channel="import")
                imports.import_activities(actor, self.lecture_kind, files[n], f"{n}.xlsx")
                return
            for i in range(EACH):
                services.create_activity(
                    SYSTEM,
                    kind=self.lecture_kind,
                    org=self.xinlian,
                    starts_on=datetime.date(2019, 10, 1 + i % 28),
                    lecturer_role="member",
                )

        errors = in_threads(work, 12)
        self.assertEqual(errors, [])
        expected = sum(300 + n for n in range(4)) + 8 * EACH
        self.assertEqual(Activity.objects.count(), self.before + expected)
        self.assert_totals_hold()
