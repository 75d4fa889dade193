"""Bulletins on the small Ningbo: clauses with nothing to say are dropped and the sentence
stays grammatical; a draft's edits keep its figures linked; issuing numbers and freezes it,
and a record changed afterwards shows as a differing figure; 繁體 keeps the figures; and
nobody reads a bulletin outside their scope (viewers: issued ones only)."""

import datetime
import io
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.bulletins import provenance, services, word
from taizhang.bulletins.models import Bulletin, BulletinOffice, BulletinState
from taizhang.bulletins.template import load, parse, templates_of
from taizhang.bulletins.text import plain
from taizhang.campaigns.yaml_lines import DefinitionError
from taizhang.jobs.models import Job, JobState
from taizhang.jobs.services import run as run_job
from taizhang.ledger import services as ledger
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.stats.periods import date_range, whole
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

D = datetime.date


class BulletinTests(WorkTestCase):
    def setUp(self):
        self.template = load(templates_of(self.campaign)["bulletin"])

    def draft(self, org=None, actor=SYSTEM):
        return services.generate(
            actor, self.template, campaign=self.campaign, org=org or self.haishu,
            period=whole(self.campaign),
        )  # fmt: skip

    def test_clauses_without_a_figure_are_dropped_and_sentences_stay_whole(self):
        text = plain(self.draft())
        self.assertIn("专题党课1场次", text)  # 新联村's lecture, in 海曙's subtree
        self.assertNotIn("王家村", text)  # 江北's lecture is not 海曙's
        for bad in ("0场次", "0次", "，，", "，。", "、，", "、。", "依托等阵地"):
            self.assertNotIn(bad, text)
        self.assertNotIn("坚持以上率下", text)  # the section had nothing to say
        self.assertFalse(re.search(r"[，、]{2}", text))

    def test_an_empty_org_gets_a_bulletin_that_says_nothing_rather_than_zeros(self):
        bulletin = self.draft(self.xinlian)
        self.assertTrue(bulletin.figures.exists())
        self.assertTrue(all(f.value for f in bulletin.figures.all()))
        self.assertNotIn("0场次", plain(bulletin))

    def test_editing_a_draft_keeps_every_figure_linked(self):
        bulletin = self.draft()
        text = services.editable_text(bulletin)
        self.assertIn("{{party_lectures|number}}", text)
        edited = (
            "# 新的一节\n\n## 党课进基层\n\n据统计，{{party_lectures|number}}已经讲完。\n\n" + text
        )
        services.edit(Actor.web(self.alice), bulletin, title="海曙简报（修改）", text=edited)
        bulletin.refresh_from_db()
        self.assertEqual(bulletin.body[0]["heading"], "新的一节")
        self.assertIn("据统计，1场次已经讲完。", plain(bulletin))
        self.assertIn("（一）党课进基层", plain(bulletin))
        self.assertIn("## 党课进基层", services.editable_text(bulletin))
        doc = Document(io.BytesIO(word.document(bulletin)))
        sub = next(r for p in doc.paragraphs for r in p.runs if r.text == "（一）党课进基层")
        self.assertEqual(sub.font.name, "楷体_GB2312")
        self.assertTrue(Change.objects.filter(model="bulletins.bulletin", action="update").exists())

    def test_an_unknown_mark_is_refused_and_nothing_is_written(self):
        bulletin = self.draft()
        before = bulletin.body
        with self.assertRaises(ValidationError) as caught:
            services.edit(SYSTEM, bulletin, title="x", text="# 一\n\n{{made_up|number}}\n")
        self.assertIn("made_up", str(caught.exception))
        bulletin.refresh_from_db()
        self.assertEqual(bulletin.body, before)

    def test_issuing_numbers_per_office_and_year_and_freezes_the_text(self):
        first = services.issue(SYSTEM, self.draft(), on=D(2019, 12, 1))
        second = services.issue(SYSTEM, self.draft(), on=D(2019, 12, 8), corrects=first)
        other = services.issue(SYSTEM, self.draft(self.jiangbei), on=D(2019, 12, 8))
        self.assertEqual((first.number, second.number, other.number), (1, 2, 1))
        self.assertEqual(second.corrects, first)
        self.assertIn("第2期", plain(second))
        with self.assertRaises(ValidationError):
            services.edit(SYSTEM, first, title="x", text="# 一\n\n文字\n")
        with self.assertRaises(ValidationError):
            services.issue(SYSTEM, first)

    def test_a_record_changed_after_issue_shows_as_a_differing_figure(self):
        issued = services.issue(SYSTEM, self.draft())
        text_before = plain(issued)
        self.assertEqual(provenance.differing(issued), [])
        ledger.create_activity(
            SYSTEM, kind=self.kinds["party_lecture"], org=self.xinlian, starts_on=D(2019, 10, 9),
            count=2, participants=30, lecturer_role="secretary",
        )  # fmt: skip
        issued.refresh_from_db()
        self.assertEqual(plain(issued), text_before)  # frozen
        changed = {f.metric: (f.text, now) for f, _value, now in provenance.differing(issued)}
        self.assertEqual(changed["party_lectures"], ("1场次", "3场次"))
        self.client.force_login(self.alice)
        page = self.client.get(reverse("bulletins:detail", args=[issued.pk]))
        self.assertContains(page, "3场次")

    def test_a_metric_dropped_from_the_campaign_shows_as_differing_not_as_an_error(self):
        issued = services.issue(SYSTEM, self.draft())
        issued.figures.filter(metric="party_lectures").update(metric="gone_metric")
        changed = {f.metric: now for f, _value, now in provenance.differing(issued)}
        self.assertEqual(changed, {"gone_metric": "—"})
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.get(reverse("bulletins:detail", args=[issued.pk])).status_code, 200
        )

    def test_the_appendix_writes_no_formula(self):
        from openpyxl import load_workbook

        from taizhang.bulletins import appendix

        self.campaign.metrics.filter(code="party_lectures").update(name_zh="=HYPERLINK(1)")
        book = load_workbook(io.BytesIO(appendix.appendix(self.draft())))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        self.assertTrue(any("HYPERLINK" in str(c.value) for c in cells))
        self.assertFalse(any(c.data_type == "f" for c in cells))

    def test_a_later_issue_states_the_change_since_the_last(self):
        session = {
            "kind": self.kinds["study_session"],
            "org": self.haishu,
            "days": 1,
            "person_times": 9,
        }
        ledger.create_activity(SYSTEM, starts_on=D(2019, 6, 3), count=1, **session)
        june = date_range(D(2019, 6, 1), D(2019, 6, 30))
        services.issue(SYSTEM, services.generate(
            SYSTEM, self.template, campaign=self.campaign, org=self.haishu, period=june
        ))  # fmt: skip
        ledger.create_activity(SYSTEM, starts_on=D(2019, 7, 3), count=2, **session)
        text = plain(self.draft())
        self.assertIn("集中学习研讨3场次", text)
        self.assertIn("较上期新增研讨2场次", text)

    def test_traditional_output_converts_the_text_and_keeps_the_figures(self):
        bulletin = self.draft()
        simplified, traditional = plain(bulletin), plain(bulletin, traditional=True)
        self.assertIn("讲好专题党课", simplified)
        self.assertIn("講好專題黨課", traditional)
        self.assertEqual(re.findall(r"\d+", simplified), re.findall(r"\d+", traditional))

    def test_a_template_error_names_its_line_and_key(self):
        text = "code: x\ncampaign: y\nname: n\ntitle: t\noffice: o\nsections:\n  - heading: h\n    paragraphs:\n      - - clauses: ['{study_sessions|loud}']\n"
        with self.assertRaises(DefinitionError) as caught:
            parse(text, "t.yaml")
        self.assertEqual(len(caught.exception.errors), 1, caught.exception.errors)
        self.assertTrue(caught.exception.errors[0].startswith("t.yaml:9: sections[0]."))
        self.assertIn("loud", caught.exception.errors[0])


class BulletinWordTests(WorkTestCase):
    def test_the_word_document_has_the_official_layout(self):
        template = load(templates_of(self.campaign)["bulletin"])
        bulletin = services.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        bulletin = services.issue(SYSTEM, bulletin, on=D(2019, 12, 10))
        doc = Document(io.BytesIO(word.document(bulletin)))
        section = doc.sections[0]

        def mm(*lengths):
            return tuple(round(length / Mm(1)) for length in lengths)

        self.assertEqual(mm(section.page_width, section.page_height), (210, 297))
        self.assertEqual(mm(section.top_margin, section.left_margin), (37, 28))
        self.assertEqual(mm(section.bottom_margin, section.right_margin), (35, 26))
        self.assertEqual(
            mm(section.page_width - section.left_margin - section.right_margin), (156,)
        )
        self.assertEqual(
            mm(section.page_height - section.top_margin - section.bottom_margin), (225,)
        )
        runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
        for run in runs:
            fonts = run._r.rPr.find(qn("w:rFonts"))
            with self.subTest(text=run.text[:10]):
                self.assertEqual(fonts.get(qn("w:eastAsia")), run.font.name)
                self.assertIsNotNone(run.font.size)
        by_text = {r.text: r for r in runs}
        masthead = by_text[bulletin.name]
        self.assertEqual(str(masthead.font.color.rgb), "E60012")
        title = by_text[bulletin.title]
        self.assertEqual((title.font.name, title.font.size), ("方正小标宋简体", Pt(22)))
        self.assertEqual(by_text["第1期"].font.name, "仿宋_GB2312")
        heading = next(r for r in runs if r.text.startswith("一、"))
        self.assertEqual(heading.font.name, "黑体")
        body = next(r for r in runs if r.text.startswith("各级党组织书记"))
        self.assertEqual((body.font.name, body.font.size), ("仿宋_GB2312", Pt(16)))
        # The red rule under the masthead, and "— N —" page numbers on odd and even pages.
        rules = doc.element.body.findall(".//" + qn("w:bottom"))
        self.assertIn("E60012", [r.get(qn("w:color")) for r in rules])
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            xml = footer.paragraphs[0]._p.xml
            self.assertIn("PAGE", xml)
            self.assertIn("— ", footer.paragraphs[0].text)
            self.assertIn(align, xml)
        self.assertTrue(doc.settings.odd_and_even_pages_header_footer)


class BulletinScopeTests(WorkTestCase):
    def test_nobody_reads_a_bulletin_outside_their_scope_and_viewers_only_issued_ones(self):
        template = load(templates_of(self.campaign)["bulletin"])
        draft = services.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        self.client.force_login(self.carol)  # 江北's clerk
        for name in ("detail", "edit", "issue", "delete"):
            with self.subTest(route=name):
                url = reverse(f"bulletins:{name}", args=[draft.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("bulletins:download", args=[draft.pk, "docx"])
        self.assertEqual(self.client.get(url).status_code, 404)
        with self.assertRaises(PermissionDenied):
            services.generate(
                Actor.web(self.carol), template, campaign=self.campaign, org=self.haishu,
                period=whole(self.campaign),
            )  # fmt: skip
        viewer = orgs.create_user(
            SYSTEM, username="hv", password=PASSWORD, org=self.haishu, role=Role.VIEWER
        )
        self.client.force_login(viewer)  # a viewer of 海曙
        detail = reverse("bulletins:detail", args=[draft.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)  # a draft
        services.issue(SYSTEM, draft)
        self.assertEqual(self.client.get(detail).status_code, 200)
        self.assertEqual(self.client.get(reverse("bulletins:create")).status_code, 403)

    def test_generating_from_the_page_writes_a_draft_and_shows_its_links(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("bulletins:create"),
            {"org": self.haishu.code, "template": "bulletin",
             "starts_on": "2019-06-01", "ends_on": "2020-01-31"},
        )  # fmt: skip
        bulletin = Bulletin.objects.get()
        self.assertRedirects(response, reverse("bulletins:detail", args=[bulletin.pk]))
        self.assertEqual(bulletin.state, BulletinState.DRAFT)
        page = self.client.get(reverse("bulletins:detail", args=[bulletin.pk]))
        self.assertContains(page, f"/ledger/?org={self.haishu.pk}&amp;kind=party_lecture")

    def test_a_bulletin_of_a_large_subtree_is_written_in_the_background(self):
        """Above BULLETIN_BACKGROUND_ORGS the request queues a job; the worker writes the
        same draft the page would have, and the job's page links to it."""
        self.client.force_login(self.alice)
        form = {"org": self.haishu.code, "template": "bulletin",
                "starts_on": "2019-06-01", "ends_on": "2020-01-31"}  # fmt: skip
        with self.settings(BULLETIN_BACKGROUND_ORGS=3):  # 海曙 has more than three
            response = self.client.post(reverse("bulletins:create"), form)
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertFalse(Bulletin.objects.exists())
        self.assertEqual(run_job(job.pk), JobState.SUCCEEDED)
        queued = Bulletin.objects.get()
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, reverse("bulletins:detail", args=[queued.pk]))
        self.assertContains(page, "打开简报草稿")
        self.client.post(reverse("bulletins:create"), form)  # small enough: written at once
        inline = Bulletin.objects.exclude(pk=queued.pk).get()
        self.assertEqual(plain(queued), plain(inline))
        self.assertEqual(Job.objects.count(), 1)
        # A sibling district's clerk cannot see the job or what it made.
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("jobs:detail", args=[job.pk])).status_code, 404)

    def test_the_draft_is_edited_and_issued_from_its_pages(self):
        template = load(templates_of(self.campaign)["bulletin"])
        draft = services.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        self.client.force_login(self.bob)
        edit = reverse("bulletins:edit", args=[draft.pk])
        page = self.client.get(edit)
        self.assertContains(page, "{{party_lectures|number}}")
        text = page.context["form"].initial["text"].replace("讲好专题党课", "讲好讲活专题党课")
        response = self.client.post(edit, {"title": draft.title, "text": text})
        self.assertRedirects(response, reverse("bulletins:detail", args=[draft.pk]))
        bad = self.client.post(edit, {"title": draft.title, "text": "# 一\n\n{{x|y}}"})
        self.assertContains(bad, "{{x|y}}")
        issue = reverse("bulletins:issue", args=[draft.pk])
        self.assertEqual(self.client.get(issue).status_code, 200)
        self.client.post(issue, {"issued_on": "2019-12-20"})
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.number, draft.year), ("issued", 1, 2019))
        self.assertIn("讲好讲活专题党课", plain(draft))
        self.assertEqual(self.client.get(edit).status_code, 302)  # frozen: back to the page

    def test_a_bad_period_is_refused_with_nothing_written(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("bulletins:create"),
            {"org": self.haishu.code, "template": "bulletin",
             "starts_on": "2020-01-31", "ends_on": "2019-06-01"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Bulletin.objects.exists())


class BulletinOfficeTests(WorkTestCase):
    def test_an_office_sets_what_its_bulletins_print(self):
        self.client.force_login(self.hank)  # 海曙's manager
        url = reverse("bulletins:office") + f"?org={self.haishu.pk}"
        self.assertContains(self.client.get(url), "海曙区主题教育领导小组办公室")
        response = self.client.post(url, {
            "name": "中共海曙区委主题教育办", "report_to": "市委主题教育办",
            "send_to": "区委领导", "issue_to": "各街道（乡镇）", "copies": "45",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        template = load(templates_of(self.campaign)["bulletin"])
        bulletin = services.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        text = plain(bulletin)
        for line in (
            "中共海曙区委主题教育办",
            "报：市委主题教育办",
            "发：各街道（乡镇）",
            "共印45份",
        ):
            self.assertIn(line, text)

    def test_only_a_manager_in_scope_sets_them_and_bad_input_writes_nothing(self):
        url = reverse("bulletins:office") + f"?org={self.haishu.pk}"
        self.client.force_login(self.bob)  # 海曙's reporter
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.jill)  # 江北's manager
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.hank)
        response = self.client.post(url, {"name": "办", "copies": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(BulletinOffice.objects.exists())


class ProvenanceTests(WorkTestCase):
    def test_each_figure_links_to_the_records_it_counts(self):
        from taizhang.bulletins.models import BulletinFigure

        metrics = {m.code: m for m in self.campaign.metrics.select_related("kind")}
        day = D(2019, 6, 1)

        def link(code):
            figure = BulletinFigure(
                org=self.haishu, metric=code, starts_on=day, ends_on=D(2019, 6, 30)
            )
            return provenance.records_url(figure, metrics)

        self.assertEqual(
            link("party_lectures"),
            f"/ledger/?org={self.haishu.pk}&kind=party_lecture&date_from=2019-06-01"
            "&date_to=2019-06-30",
        )
        self.assertEqual(link("red_model_bases"), f"/venues/?org={self.haishu.pk}&kind=red_base")
        self.assertEqual(link("research_reports"), f"/research/reports/?org={self.haishu.pk}")
        self.assertEqual(link("role_models"), f"/role-models/?org={self.haishu.pk}")
        self.assertIsNone(link("no_such_metric"))
        # The linked page opens for someone in scope and shows the records counted.
        whole_campaign = BulletinFigure(
            org=self.haishu, metric="party_lectures",
            starts_on=self.campaign.starts_on, ends_on=self.campaign.ends_on,
        )  # fmt: skip
        self.client.force_login(self.bob)
        page = self.client.get(provenance.records_url(whole_campaign, metrics))
        self.assertContains(page, self.lecture.title or "新联村")
        self.assertNotContains(page, "王家村")
