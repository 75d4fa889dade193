"""What a load balancer and a user see of the database's state: /healthz answers without a
sign-in and reveals nothing but up/down, lag and the worker; a database that cannot be
reached answers 503 "暂时无法访问" on pages and the API, not a 500."""

import json
from unittest import mock

from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from taizhang.jobs.models import WorkerBeat
from taizhang.jobs.services import this_worker
from taizhang.testing import LedgerTestCase


class HealthTests(LedgerTestCase):
    def test_it_reports_the_database_and_the_worker_without_a_sign_in(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        body = json.loads(response.content)
        self.assertEqual(body["database"]["ok"], True)
        self.assertEqual(body["replicas"], [])
        self.assertEqual((body["worker"]["running"], body["status"]), (False, "degraded"))
        WorkerBeat.objects.create(name=this_worker(), host="h", pid=1, beat_at=timezone.now())
        body = json.loads(self.client.get("/healthz").content)
        self.assertEqual((body["worker"]["running"], body["status"]), (True, "ok"))
        self.assertEqual(set(body), {"status", "database", "replicas", "worker"})
        self.assertEqual(response["Cache-Control"][:8], "max-age=")
        self.assertEqual(self.client.post("/healthz").status_code, 405)

    def test_a_database_down_answers_503_with_no_detail(self):
        failing = OperationalError("could not connect to db-primary.internal:5432")
        with mock.patch("taizhang.health.connection.cursor", side_effect=failing):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content)["status"], "down")
        self.assertNotIn(b"db-primary", response.content)


@override_settings(DEBUG=False)
class UnavailableTests(LedgerTestCase):
    def setUp(self):
        self.client.raise_request_exception = False  # as a real server would answer

    def test_a_page_answers_503_while_the_database_cannot_be_reached(self):
        self.client.force_login(self.hank)
        failing = mock.patch(
            "taizhang.stats.views.figures.with_children",
            side_effect=OperationalError("server closed the connection unexpectedly"),
        )
        with failing:
            response = self.client.get(f"/stats/orgs/{self.haishu.pk}/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "暂时无法访问", status_code=503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertNotContains(response, "server closed", status_code=503)
        # Once it is back, the same page answers as before, with no step by hand.
        self.assertEqual(self.client.get(f"/stats/orgs/{self.haishu.pk}/").status_code, 200)

    def test_the_session_read_failing_in_a_middleware_is_a_503_too(self):
        with mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError("the database system is starting up"),
        ):
            self.client.cookies["sessionid"] = "x" * 32
            response = self.client.get("/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "暂时无法访问", status_code=503)
        # /healthz, asked with a session cookie, still answers in JSON.
        with mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError("the database system is starting up"),
        ):
            health = self.client.get("/healthz")
        self.assertEqual((health.status_code, health.json()["status"]), (503, "down"))

    def test_the_api_answers_a_503_in_json(self):
        self.client.force_login(self.hank)
        with mock.patch(
            "taizhang.api.views.orgs.OrgViewSet.list", side_effect=OperationalError("down")
        ):
            response = self.client.get("/api/v1/orgs/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["code"], "unavailable")
        self.assertEqual(response["Retry-After"], "5")


@override_settings(DEBUG=False, AXES_ENABLED=False, FILE_UPLOAD_MAX_MEMORY_SIZE=0)
class DiskFullTests(LedgerTestCase):
    def test_an_upload_on_a_full_disk_is_a_clear_error_with_nothing_written(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from taizhang.jobs.tests.scenario import lecture_file
        from taizhang.ledger.models import Activity, ActivityImport

        self.client.raise_request_exception = False
        self.client.force_login(self.bob)
        data = lecture_file(self.kinds["party_lecture"], [self.shiqi], 50)
        before = Activity.objects.count()
        full = OSError(28, "No space left on device")
        with mock.patch(
            "django.core.files.uploadedfile.TemporaryUploadedFile.write", side_effect=full
        ):
            response = self.client.post(
                "/ledger/import/?kind=party_lecture",
                {"file": SimpleUploadedFile("党课.xlsx", data)},
            )
        self.assertEqual(response.status_code, 507)
        self.assertContains(response, "存储空间不足", status_code=507)
        self.assertEqual(Activity.objects.count(), before)
        self.assertFalse(ActivityImport.objects.exists())
