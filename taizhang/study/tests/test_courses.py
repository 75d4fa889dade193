from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang import files
from taizhang.demo.media import pdf, wav
from taizhang.ledger.totals import rebuild
from taizhang.stats import figures, periods
from taizhang.study import courses, media
from taizhang.study.models import Course, GroupViewing, Viewing
from taizhang.testing import SYSTEM, WorkTestCase


class CourseTests(WorkTestCase):
    """海曙's office (hank) publishes a 红色故事汇 recording for 海曙; 石碶's viewer (dave) and
    新联村's (vera) watch it; 江北 (carol, jill) never see it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audio = wav(seconds=2)
        cls.course = courses.publish(
            SYSTEM, campaign=cls.campaign, org=cls.haishu, title="张人亚守护党章的故事",
            series="红色故事汇", upload=SimpleUploadedFile("story.wav", cls.audio),
            lecturer="市委党校", required=True,
        )  # fmt: skip

    def figure(self, code, org):
        metric = self.campaign.metrics.get(code=code)
        return figures.figures([metric], [org], periods.whole(self.campaign))[org.pk][code].value

    def test_everyone_below_and_above_sees_it_and_the_sibling_does_not(self):
        for user in (self.vera, self.dave, self.bob, self.alice):
            self.client.force_login(user)
            self.assertContains(self.client.get("/courses/"), "张人亚守护党章的故事")
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get("/courses/"), "张人亚守护党章的故事")
        for path in ("", "media/"):
            self.assertEqual(self.client.get(f"/courses/{self.course.pk}/{path}").status_code, 404)
        self.assertEqual(
            self.client.post(f"/courses/{self.course.pk}/progress/", {"position": 1}).status_code,
            404,
        )

    def test_the_media_is_served_whole_and_by_range(self):
        self.client.force_login(self.vera)
        url = f"/courses/{self.course.pk}/media/"
        whole = self.client.get(url)
        self.assertEqual(whole.status_code, 200)
        self.assertEqual(whole["Content-Type"], "audio/wav")
        self.assertEqual(whole["Accept-Ranges"], "bytes")
        self.assertEqual(b"".join(whole.streaming_content), self.audio)
        part = self.client.get(url, HTTP_RANGE="bytes=10-19")
        self.assertEqual(part.status_code, 206)
        self.assertEqual(part["Content-Range"], f"bytes 10-19/{len(self.audio)}")
        self.assertEqual(b"".join(part.streaming_content), self.audio[10:20])
        tail = self.client.get(url, HTTP_RANGE="bytes=-5")
        self.assertEqual(b"".join(tail.streaming_content), self.audio[-5:])
        self.assertEqual(self.client.get(url, HTTP_RANGE="bytes=99999999-").status_code, 416)
        self.assertEqual(self.client.get(url, HTTP_RANGE="lines=1-2").status_code, 416)

    def test_a_viewing_records_who_when_and_how_far_and_counts_once(self):
        self.client.force_login(self.vera)
        url = f"/courses/{self.course.pk}/progress/"
        self.assertEqual(self.client.post(url, {"position": 1, "duration": 2}).status_code, 204)
        self.client.post(url, {"position": 0, "duration": 2})  # never backwards
        viewing = Viewing.objects.get(user=self.vera)
        self.assertEqual((viewing.org, viewing.position, viewing.progress), (self.xinlian, 1, 50))
        self.client.post(url, {"position": 2, "duration": 2})
        self.assertEqual(Viewing.objects.get(user=self.vera).progress, 100)
        self.assertEqual(self.client.post(url, {"position": "x"}).status_code, 400)
        self.client.force_login(self.hank)
        page = self.client.get(f"/courses/{self.course.pk}/")
        self.assertEqual(page.context["views"], 1)
        self.assertEqual(page.context["watched"], 1)
        self.assertEqual(rebuild()["drift"], 0)

    def test_a_group_viewing_counts_its_person_times(self):
        self.client.force_login(self.bob)
        self.client.post(f"/courses/{self.course.pk}/group-viewings/", {
            "org": self.shiqi.code, "viewed_on": "2019-10-01", "person_times": 35,
        })  # fmt: skip
        self.assertEqual(GroupViewing.objects.get().person_times, 35)
        self.assertEqual(self.figure("course_group_person_times", self.city), 35)
        self.assertEqual(self.figure("course_group_viewings", self.haishu), 1)
        self.client.force_login(self.dave)  # a viewer records nothing
        response = self.client.post(f"/courses/{self.course.pk}/group-viewings/", {
            "org": self.shiqi.code, "viewed_on": "2019-10-02", "person_times": 5,
        })  # fmt: skip
        self.assertEqual(response.status_code, 403)
        self.assertEqual(GroupViewing.objects.count(), 1)

    def publish_form(self, upload, **changes):
        self.client.force_login(self.hank)
        data = {"org": self.haishu.code, "title": "名师微课", "series": "名师微课", "file": upload}
        data.update(changes)
        before = (Course.objects.count(), sorted(files.folder(media.KIND).rglob("*")))
        response = self.client.post("/courses/new/", data)
        after = (Course.objects.count(), sorted(files.folder(media.KIND).rglob("*")))
        return response, before == after

    def test_a_manager_publishes_a_pdf(self):
        response, nothing = self.publish_form(SimpleUploadedFile("讲义.pdf", pdf("讲义", ["一"])))
        course = Course.objects.get(file_name="讲义.pdf")
        self.assertRedirects(response, f"/courses/{course.pk}/")
        self.assertEqual(course.media, "pdf")
        self.assertFalse(nothing)

    def test_a_bad_upload_is_refused_and_nothing_stored(self):
        cases = [
            SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
            SimpleUploadedFile("video.mp4", b"MZ\x90\x00" + b"\x00" * 40),  # a program
            SimpleUploadedFile("talk.mp3", b"<html><script></script></html>"),  # mistyped
            SimpleUploadedFile("page.html", b"<html></html>"),
        ]
        for upload in cases:
            with self.subTest(name=upload.name):
                response, nothing = self.publish_form(upload)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, upload.name)
                self.assertTrue(nothing)
        with self.settings(COURSE_MAX_BYTES=100):
            response, nothing = self.publish_form(SimpleUploadedFile("big.wav", wav(1)))
        self.assertContains(response, "超过")
        self.assertTrue(nothing)
        response, nothing = self.publish_form(
            SimpleUploadedFile("ok.wav", wav(1)), title="长" * 201
        )
        self.assertTrue(nothing)  # the title is checked before the file is kept

    def test_reporters_and_viewers_do_not_publish(self):
        for user in (self.bob, self.dave):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/courses/new/").status_code, 403)
