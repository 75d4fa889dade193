import datetime
import io

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from taizhang.ledger.totals import rebuild
from taizhang.office.models import Attachment, Notice, Receipt
from taizhang.office.services import notices
from taizhang.office.tests.base import OfficeTestCase
from taizhang.testing import SYSTEM


class NoticeFlowTests(OfficeTestCase):
    """The city office sends a notice to a gap list; 新联村 reads, replies; the office
    reminds the others and sees them overdue once the deadline passes."""

    def send_to_gap_list(self):
        self.client.force_login(self.alice)
        # 新联村's branch has a lecture; 新联村 itself (a village) and 王家村 have none? The
        # fixtures give 新联村 and 王家村 one lecture each: the branch is the one gap.
        gaps = self.client.get(f"/stats/orgs/{self.city.pk}/gaps/party_lecture_coverage/")
        self.assertContains(gaps, "notify-gaps")
        return self.client.post("/office/notices/new/", {
            "title": "请尽快开展专题党课", "body": "尚未开展专题党课的单位请于一周内开展。",
            "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "mode": "gaps", "metric": "party_lecture_coverage", "under": self.city.code,
        })  # fmt: skip

    def test_send_to_a_gap_list_read_reply_remind_overdue(self):
        response = self.send_to_gap_list()
        notice = Notice.objects.get(title="请尽快开展专题党课")
        self.assertRedirects(response, f"/office/notices/{notice.pk}/")
        recipients = set(notice.receipts.values_list("org__code", flat=True))
        self.assertEqual(recipients, {self.branch.code})
        self.assertIn("专题党课基层党组织覆盖率", notice.chosen_as)
        branch_clerk = self.make_user("li-branch", self.branch)
        self.client.force_login(branch_clerk)
        home = self.client.get("/")
        self.assertContains(home, "请尽快开展专题党课")
        self.assertContains(home, 'class="badge"')
        self.client.get(f"/office/notices/{notice.pk}/")
        receipt = notice.receipts.get()
        self.assertIsNotNone(receipt.read_at)
        self.assertEqual(receipt.read_by, branch_clerk)
        self.client.post(f"/office/notices/{notice.pk}/reply/", {
            "text": "已于本周开展", "files": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        })  # fmt: skip
        receipt.refresh_from_db()
        self.assertEqual(receipt.reply, "已于本周开展")
        self.assertEqual(receipt.attachments.get().name, "照片.png")
        self.assertEqual(self.figure("notices_answered_on_time", self.city), 1)
        self.client.force_login(self.alice)
        table = self.client.get(f"/office/notices/{notice.pk}/")
        self.assertContains(table, "已于本周开展")
        self.assertContains(table, "state-replied")
        self.assertEqual(rebuild()["drift"], 0)

    def test_reminders_go_to_those_who_have_not_replied_and_overdue_shows(self):
        self.client.force_login(self.alice)
        notices.reply(SYSTEM.__class__(user=self.xia), self.notice.receipts.get(org=self.xinlian),
                      text="收到")  # fmt: skip
        self.client.post(f"/office/notices/{self.notice.pk}/remind/")
        reminders = dict(self.notice.receipts.values_list("org__code", "reminders"))
        self.assertEqual(reminders, {self.haishu.code: 1, self.shiqi.code: 1, self.xinlian.code: 0})
        self.client.force_login(self.dave)
        self.assertContains(self.client.get("/office/notices/"), "已催报")
        Notice.objects.filter(pk=self.notice.pk).update(deadline=datetime.date(2020, 1, 1))
        self.client.force_login(self.alice)
        page = self.client.get(f"/office/notices/{self.notice.pk}/?state=overdue")
        self.assertContains(page, "石碶街道")
        self.assertNotContains(page, "新联村</td>")

    def test_the_export_lists_every_receipt_with_no_formula(self):
        receipt = self.notice.receipts.get(org=self.xinlian)
        notices.reply(SYSTEM.__class__(user=self.xia), receipt, text='=HYPERLINK("x")')
        self.client.force_login(self.alice)
        response = self.client.get(f"/office/notices/{self.notice.pk}/export/")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 4)
        cell = next(r for r in rows if r[0] == self.xinlian.code)
        self.assertEqual(cell[2], "已回执")
        self.assertEqual(sheet.cell(row=rows.index(cell) + 1, column=8).data_type, "s")

    def test_a_recipient_sees_only_the_notices_sent_to_its_own_org(self):
        other = notices.send(
            SYSTEM, campaign=self.campaign, sender=self.city, title="只发江北", body="x",
            deadline=timezone.localdate(), orgs=[self.jiangbei],
        )  # fmt: skip
        self.client.force_login(self.vera)
        self.assertEqual(self.client.get(f"/office/notices/{other.pk}/").status_code, 404)
        inbox = self.client.get("/office/notices/")
        self.assertContains(inbox, "关于报送专题党课开展情况的通知")
        self.assertNotContains(inbox, "只发江北")
        page = self.client.get(f"/office/notices/{self.notice.pk}/")
        self.assertNotContains(page, "石碶街道</td>")  # the town's receipt is not the village's

    def test_the_sibling_district_sees_neither_notice_nor_reply(self):
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(f"/office/notices/{self.notice.pk}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/office/attachments/{self.attachment.pk}/").status_code, 404
        )

    def test_a_viewer_reads_but_neither_replies_nor_sends(self):
        self.client.force_login(self.vera)
        self.client.get(f"/office/notices/{self.notice.pk}/")
        receipt = self.notice.receipts.get(org=self.xinlian)
        self.assertIsNotNone(receipt.read_at)
        self.assertEqual(self.client.post(f"/office/notices/{self.notice.pk}/reply/",
                                          {"text": "x"}).status_code, 403)  # fmt: skip
        self.assertEqual(self.client.get("/office/notices/new/").status_code, 403)
        self.client.force_login(self.bob)  # a reporter does not send either
        self.assertEqual(self.client.get("/office/notices/new/").status_code, 403)

    def test_reading_by_someone_above_is_not_the_recipients_reading(self):
        self.client.force_login(self.hank)
        self.client.get(f"/office/notices/{self.notice.pk}/")
        self.assertIsNone(self.notice.receipts.get(org=self.shiqi).read_at)
        self.assertIsNotNone(self.notice.receipts.get(org=self.haishu).read_at)

    def test_the_attachment_is_only_ever_a_download(self):
        self.client.force_login(self.vera)
        response = self.client.get(f"/office/attachments/{self.attachment.pk}/")
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(b"".join(response.streaming_content), "专题党课安排".encode())

    def test_a_reply_attachment_is_not_shown_to_another_recipient(self):
        receipt = self.notice.receipts.get(org=self.xinlian)
        notices.reply(SYSTEM.__class__(user=self.xia), receipt, text="见附件",
                      files=[("回执.txt", b"ok")])  # fmt: skip
        attachment = receipt.attachments.get()
        self.client.force_login(self.dave)  # 石碶: 新联村 is in its subtree
        self.assertEqual(self.client.get(f"/office/attachments/{attachment.pk}/").status_code, 200)
        self.client.force_login(self.make_user("hb", self.haishu, role="viewer"))
        self.assertEqual(self.client.get(f"/office/attachments/{attachment.pk}/").status_code, 200)
        sibling = notices.send(SYSTEM, campaign=self.campaign, sender=self.city, title="江北",
                               body="x", deadline=timezone.localdate(), orgs=[self.wangjia])  # fmt: skip
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(f"/office/attachments/{attachment.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/office/notices/{sibling.pk}/").status_code, 200)

    def make_user(self, name, org, role="reporter"):
        from taizhang.orgs import services as orgs
        from taizhang.testing import PASSWORD

        return orgs.create_user(SYSTEM, username=name, password=PASSWORD, org=org, role=role)


class BadNoticeTests(OfficeTestCase):
    def post(self, **changes):
        self.client.force_login(self.hank)
        data = {
            "title": "通知", "body": "正文", "mode": "subtree", "under": self.haishu.code,
            "deadline": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        }  # fmt: skip
        data.update(changes)
        before = (Notice.objects.count(), Receipt.objects.count(), Attachment.objects.count())
        response = self.client.post("/office/notices/new/", data)
        after = (Notice.objects.count(), Receipt.objects.count(), Attachment.objects.count())
        return response, before == after

    def test_a_deadline_in_the_past_is_refused(self):
        response, nothing = self.post(deadline="2019-10-01")
        self.assertContains(response, "回执期限不能早于今天")
        self.assertTrue(nothing)

    def test_an_executable_attachment_is_refused(self):
        program = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00" + b"\x00" * 100)
        response, nothing = self.post(files=program)
        self.assertContains(response, "说明.pdf")
        self.assertTrue(nothing)
        page = SimpleUploadedFile("a.txt", b"<html><script>alert(1)</script></html>")
        response, nothing = self.post(files=page)
        self.assertContains(response, "a.txt")
        self.assertTrue(nothing)
        exe = SimpleUploadedFile("run.exe", b"hello")
        self.assertTrue(self.post(files=exe)[1])

    def test_an_oversized_attachment_is_refused(self):
        with self.settings(ATTACHMENT_MAX_BYTES=1000):
            big = SimpleUploadedFile("大.txt", b"a" * 1001)
            response, nothing = self.post(files=big)
        self.assertContains(response, "大.txt")
        self.assertTrue(nothing)

    def test_a_recipient_outside_the_scope_is_refused(self):
        response, nothing = self.post(mode="codes", codes=f"{self.shiqi.code} {self.cicheng.code}")
        self.assertContains(response, self.cicheng.code)
        self.assertTrue(nothing)
        with self.assertRaises(PermissionDenied):
            notices.send(SYSTEM.__class__(user=self.hank), campaign=self.campaign,
                         sender=self.haishu, title="x", body="x", deadline=timezone.localdate(),
                         orgs=[self.cicheng])  # fmt: skip
        response, nothing = self.post(mode="codes", codes=self.haishu.code)  # nor to itself
        self.assertContains(response, "不发给发文单位本身")
        self.assertTrue(nothing)
        with self.assertRaises(PermissionDenied):  # not upward either
            notices.send(SYSTEM, campaign=self.campaign, sender=self.haishu, title="x",
                         body="x", deadline=timezone.localdate(), orgs=[self.city])  # fmt: skip

    def test_a_subtree_filtered_by_kind(self):
        response, nothing = self.post(kinds=["village"])
        self.assertFalse(nothing)
        notice = Notice.objects.latest("id")
        self.assertEqual(
            list(notice.receipts.values_list("org__code", flat=True)), [self.xinlian.code]
        )

    def test_a_reply_with_nothing_in_it_is_refused(self):
        with self.assertRaises(ValidationError):
            notices.reply(SYSTEM.__class__(user=self.xia), self.notice.receipts.get(org=self.xinlian),
                          text=" ")  # fmt: skip
