"""A large upload becomes a background job: the request returns at once, the worker runs
it, and its page shows the result, the problems found, or why it stopped. Nothing is
written by a refused, cancelled or failed job; a dead worker's job is marked failed and can
be run again; a user sees their own jobs, a manager also their subtree's."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from taizhang.jobs import services
from taizhang.jobs.models import Job, JobState, Stage, WorkerBeat
from taizhang.ledger.imports import headers_for
from taizhang.ledger.models import Activity
from taizhang.ledger.tests.test_activity_import import GOOD_ROWS
from taizhang.testing import LedgerTestCase, xlsx_bytes

BAD_ROW = ["330203009001", "新联村", "2019-09-05", "", "党课", "三场", 30, "", "党员", "", ""]


@services.register("test.cancelled-midway")
def cancelled_midway(job, progress):
    progress.stage("reading")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    progress.stage("checking", total=10)
    raise AssertionError("a cancelled job went on")


@override_settings(AXES_ENABLED=False, IMPORT_BACKGROUND_BYTES=0)
class BackgroundImportTests(LedgerTestCase):
    def upload(self, rows, user=None):
        self.client.force_login(user or self.bob)
        data = xlsx_bytes([headers_for(self.kinds["party_lecture"]), *rows])
        return self.client.post(
            reverse("ledger:import") + "?kind=party_lecture",
            {"file": SimpleUploadedFile("党课.xlsx", data)},
        )

    def test_a_large_upload_is_queued_and_the_request_returns_at_once(self):
        before = Activity.objects.count()
        response = self.upload(GOOD_ROWS)
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertEqual(
            (job.state, job.user, job.filename), (JobState.QUEUED, self.bob, "党课.xlsx")
        )
        self.assertTrue(DBTaskResult.objects.filter(id=job.task_id).exists())
        self.assertEqual(Activity.objects.count(), before)
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, "等待后台任务进程")
        self.assertContains(page, "没有后台任务进程在运行")  # no worker has beaten

    def test_an_htmx_upload_is_sent_to_the_job_page(self):
        self.client.force_login(self.bob)
        data = xlsx_bytes([headers_for(self.kinds["party_lecture"]), *GOOD_ROWS])
        response = self.client.post(
            reverse("ledger:import") + "?kind=party_lecture",
            {"file": SimpleUploadedFile("党课.xlsx", data)},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response["HX-Redirect"], Job.objects.get().get_absolute_url())

    def test_the_worker_runs_it_and_the_page_shows_the_result(self):
        before = Activity.objects.count()
        self.upload(GOOD_ROWS)
        job = Job.objects.get()
        self.assertEqual(services.run(job.pk), JobState.SUCCEEDED)
        job.refresh_from_db()
        self.assertEqual(Activity.objects.count(), before + 3)
        self.assertEqual((job.total, job.read, job.checked, job.written), (3, 3, 3, 3))
        self.assertEqual(job.result["created"], 3)
        self.assertEqual(bytes(job.data), b"")  # the file is not kept once imported
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, "已创建：3")
        self.assertNotContains(page, 'hx-trigger="every')  # a finished job is not polled
        self.assertEqual(services.run(job.pk), "skipped")  # a task run twice does nothing

    def test_a_refused_file_ends_with_every_problem_and_nothing_written(self):
        before = Activity.objects.count()
        self.upload([GOOD_ROWS[0], BAD_ROW])
        job = Job.objects.get()
        self.assertEqual(services.run(job.pk), JobState.REJECTED)
        job.refresh_from_db()
        self.assertEqual(Activity.objects.count(), before)
        self.assertEqual(job.error_count, 1)
        self.assertIn("第3行 第6列", job.errors[0])
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, "第3行 第6列")
        self.assertContains(page, "未写入任何内容")

    def test_a_queued_job_cancelled_never_runs(self):
        self.upload(GOOD_ROWS)
        job = Job.objects.get()
        self.client.post(reverse("jobs:cancel", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.CANCELLED)
        self.assertFalse(DBTaskResult.objects.filter(id=job.task_id).exists())
        self.assertEqual(services.run(job.pk), "skipped")

    def test_a_job_cancelled_while_checking_stops_and_writes_nothing(self):
        job = services.start(self.bob, "test.cancelled-midway", "测试")
        self.assertEqual(services.run(job.pk), JobState.CANCELLED)

    def test_writing_cannot_be_cancelled(self):
        job = services.start(self.bob, "ledger.import", "测试")
        Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, stage=Stage.WRITING)
        job.refresh_from_db()
        self.assertFalse(job.can_cancel)
        self.assertEqual(services.cancel(self.bob, job).state, JobState.RUNNING)

    def test_a_dead_workers_job_is_marked_failed_and_can_be_run_again(self):
        self.upload(GOOD_ROWS)
        job = Job.objects.get()
        stale = timezone.now() - timezone.timedelta(hours=1)
        WorkerBeat.objects.create(name="elsewhere:4242", host="elsewhere", pid=4242, beat_at=stale)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING, stage=Stage.CHECKING, worker="elsewhere:4242"
        )
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.FAILED)
        self.assertContains(page, "后台任务进程已停止")
        self.client.post(reverse("jobs:retry", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.QUEUED)
        self.assertEqual(services.run(job.pk), JobState.SUCCEEDED)

    def test_a_job_whose_worker_beats_is_left_running(self):
        job = services.start(self.bob, "ledger.import", "测试")
        WorkerBeat.objects.create(
            name="elsewhere:1", host="elsewhere", pid=1, beat_at=timezone.now()
        )
        Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker="elsewhere:1")
        self.assertEqual(services.sweep(), 0)
        self.assertTrue(services.workers_running())

    def test_a_user_sees_their_own_jobs_and_a_manager_those_of_their_subtree(self):
        self.upload(GOOD_ROWS)
        job = Job.objects.get()
        detail = reverse("jobs:detail", args=[job.pk])
        for user, status in (
            (self.bob, 200),
            (self.hank, 200),
            (self.alice, 200),
            (self.carol, 404),
            (self.jill, 404),
            (self.dave, 404),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(detail).status_code, status)
                listed = self.client.get(reverse("jobs:list")).content.decode()
                self.assertEqual(job.title in listed, status == 200)

    def test_only_its_user_runs_a_job_again(self):
        job = services.start(self.bob, "ledger.import", "测试")
        Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
        self.client.force_login(self.hank)
        self.assertEqual(self.client.post(reverse("jobs:retry", args=[job.pk])).status_code, 403)

    def test_the_list_says_what_to_do_when_empty(self):
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(reverse("jobs:list")), "还没有后台任务")


@override_settings(AXES_ENABLED=False, EXPORT_BACKGROUND_ROWS=0)
class BackgroundExportTests(LedgerTestCase):
    def test_a_long_export_is_made_in_the_background_and_downloaded_from_its_page(self):
        self.client.force_login(self.dave)  # a viewer may export what they can see
        response = self.client.get(reverse("ledger:list"), {"format": "xlsx"})
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(services.run(job.pk), JobState.SUCCEEDED)
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, reverse("jobs:download", args=[job.pk]))
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        self.assertEqual(download.status_code, 200)
        book = CalamineWorkbook.from_filelike(io.BytesIO(download.content))
        rows = book.get_sheet_by_index(0).to_python()
        visible = Activity.objects.visible_to(self.dave).count()
        self.assertEqual(len(rows) - 1, visible)
        self.assertLess(visible, Activity.objects.count())  # 江北's lecture is not in it
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("jobs:download", args=[job.pk])).status_code, 404)
