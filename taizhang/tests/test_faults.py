"""The database connection killed (`pg_terminate_backend`) in the middle of a write: an
import through the page, a bulk create through the API, a bulletin issued. Each answers a
clear 503, nothing of it is written, the totals still equal the records, and the same
request sent again succeeds. PostgreSQL only (the suite's PostgreSQL pass)."""

import datetime
import io
import pkgutil
from unittest import mock

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from taizhang.api import tokens
from taizhang.audit.services import Actor
from taizhang.bulletins import services as bulletins
from taizhang.bulletins.models import Bulletin, BulletinState
from taizhang.bulletins.template import load, templates_of
from taizhang.jobs.tests.scenario import lecture_file
from taizhang.ledger.models import Activity, ActivityImport
from taizhang.stats.periods import whole
from taizhang.testing import SYSTEM, build_ledger, build_small_ningbo


def kill_own_connection():
    """Terminate this process's database session from another one, as an operator or a
    failing network would."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def killed_during(target):
    """Patch `target` (a dotted path) so that the connection dies just before it runs."""
    owner = pkgutil.resolve_name(target)

    def dying(*args, **kwargs):
        kill_own_connection()
        return owner(*args, **kwargs)

    return mock.patch(target, dying)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend")
@override_settings(AXES_ENABLED=False, DEBUG=False, IMPORT_BACKGROUND_BYTES=10**9)
class KilledConnectionTests(TransactionTestCase):
    def setUp(self):
        build_small_ningbo(self)
        build_ledger(self)
        self.client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")

    def after_the_kill(self, response):
        self.assertEqual(response.status_code, 503)
        self.assertIn("暂时无法访问", response.content.decode())
        connection.close()  # what the end of a served request does with a broken connection

    def assert_totals_hold(self):
        out = io.StringIO()
        call_command("stats", "rebuild", "--check", stdout=out)
        self.assertIn("drift: 0 rows", out.getvalue())

    def test_an_import_killed_while_writing_writes_nothing_and_can_be_sent_again(self):
        kind = self.kinds["party_lecture"]
        data = lecture_file(kind, [self.shiqi, self.xinlian], 400)
        before = Activity.objects.count()
        self.client.force_login(self.bob)

        def send():
            return self.client.post(
                "/ledger/import/?kind=party_lecture",
                {"file": SimpleUploadedFile("党课.xlsx", data)},
            )

        with killed_during("taizhang.ledger.totals.tally.Tally._write_months"):
            self.after_the_kill(send())
        self.assertEqual(Activity.objects.count(), before)
        self.assertFalse(ActivityImport.objects.exists())
        self.assert_totals_hold()
        self.assertIn(send().status_code, (200, 302))
        self.assertEqual(Activity.objects.count(), before + 400)
        self.assert_totals_hold()

    def test_a_bulk_create_killed_while_writing_writes_nothing(self):
        _token, secret = tokens.create_token(Actor.web(self.bob), name="区平台", read_only=False)
        items = [
            {"org": self.xinlian.code, "kind": "party_lecture", "lecturer_role": "member",
             "starts_on": str(datetime.date(2019, 9, 2) + datetime.timedelta(days=i % 50))}
            for i in range(200)
        ]  # fmt: skip
        before = Activity.objects.count()

        def send():
            return self.client.post(
                "/api/v1/activities/bulk/", {"items": items}, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            )  # fmt: skip

        with killed_during("taizhang.ledger.totals.tally.Tally._write_months"):
            response = send()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["code"], "unavailable")
        connection.close()
        self.assertEqual(Activity.objects.count(), before)
        self.assert_totals_hold()
        self.assertEqual(send().status_code, 201)
        self.assertEqual(Activity.objects.count(), before + 200)

    def test_a_bulletin_issue_killed_leaves_the_draft_a_draft(self):
        template = load(templates_of(self.campaign)["bulletin"])
        draft = bulletins.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        self.client.force_login(self.hank)
        url = f"/bulletins/{draft.pk}/issue/"
        with killed_during("taizhang.bulletins.services.record"):
            self.after_the_kill(self.client.post(url, {"issued_on": "2019-12-20"}))
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.number), (BulletinState.DRAFT, None))
        self.assertEqual(self.client.post(url, {"issued_on": "2019-12-20"}).status_code, 302)
        issued = Bulletin.objects.get(pk=draft.pk)
        self.assertEqual((issued.state, issued.number), (BulletinState.ISSUED, 1))
