"""Every URL pattern of the project, taken from the URL resolver: an anonymous visitor is
sent to sign in, a reporter of the sibling district gets 404 on every 海曙 object (read or
write), and a viewer in 海曙 gets 403 on every write. A route added without an entry in
ROUTES fails the first test, so no page or endpoint can skip its outsider test."""

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang.office.services import commitments
from taizhang.office.tests.base import build_office
from taizhang.orgs import sectors
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

READ, RECORD, MANAGE, PUBLIC = "read", "record", "manage", "public"
# A background job is its user's (and their managers'): anyone else in scope gets 404.
OWN = "own"
# A reader's own record (how far they have watched a course): a POST any reader in scope
# may make, a viewer too.
SELF = "self"


def hs(t):
    """?org= naming 海曙, for a list or a form that narrows to an org."""
    return {"org": t.haishu.pk}


# name: (access, the URL's arguments, its query), each argument a 海曙 object when the
# route takes one (so the sibling district must get 404).
ROUTES = {
    "home": (READ, None, None),
    "login": (PUBLIC, None, None),
    "logout": (PUBLIC, None, None),
    "healthz": (PUBLIC, None, None),
    "orgs:tree": (READ, None, None),
    "orgs:template": (MANAGE, None, None),
    "orgs:import": (MANAGE, None, None),
    "orgs:lookup": (READ, None, None),
    "orgs:detail": (READ, lambda t: [t.shiqi.pk], None),
    "orgs:children": (READ, lambda t: [t.shiqi.pk], None),
    "orgs:create": (MANAGE, lambda t: [t.shiqi.pk], None),
    "orgs:edit": (MANAGE, lambda t: [t.shiqi.pk], None),
    "orgs:move": (MANAGE, lambda t: [t.xinlian.pk], None),
    "orgs:export": (READ, lambda t: [t.shiqi.pk], None),
    "orgs:people": (READ, None, hs),
    "orgs:person-create": (RECORD, None, hs),
    "orgs:person-template": (RECORD, None, None),
    "orgs:person-import": (RECORD, None, None),
    "orgs:person-lookup": (READ, None, None),
    "orgs:person": (READ, lambda t: [t.zhang.pk], None),
    "orgs:person-edit": (RECORD, lambda t: [t.zhang.pk], None),
    "orgs:users": (MANAGE, None, None),
    "orgs:user-create": (MANAGE, None, hs),
    "orgs:user-edit": (MANAGE, lambda t: [t.bob.pk], None),
    "orgs:user-unlock": (MANAGE, lambda t: [t.bob.pk], None),
    "ledger:list": (READ, None, hs),
    "ledger:create": (RECORD, None, lambda t: {"kind": "party_lecture", "org": t.haishu.pk}),
    "ledger:template": (READ, None, lambda t: {"kind": "party_lecture"}),
    "ledger:import": (RECORD, None, lambda t: {"kind": "party_lecture"}),
    "ledger:detail": (READ, lambda t: [t.lecture.pk], None),
    "ledger:edit": (RECORD, lambda t: [t.lecture.pk], None),
    "ledger:delete": (RECORD, lambda t: [t.lecture.pk], None),
    "ledger:org": (READ, lambda t: [t.shiqi.pk], None),
    "ledger:venues": (READ, None, None),
    "ledger:venue-create": (MANAGE, None, None),
    "ledger:venue": (READ, lambda t: [t.haishu_base.pk], None),
    "ledger:venue-edit": (MANAGE, lambda t: [t.haishu_base.pk], None),
    "stats:home": (READ, None, None),
    "bulletins:list": (READ, None, hs),
    "bulletins:create": (RECORD, None, None),
    "bulletins:office": (MANAGE, None, hs),
    "bulletins:detail": (READ, lambda t: [t.bulletin.pk], None),
    "bulletins:edit": (RECORD, lambda t: [t.bulletin.pk], None),
    "bulletins:issue": (RECORD, lambda t: [t.bulletin.pk], None),
    "bulletins:delete": (RECORD, lambda t: [t.bulletin.pk], None),
    "bulletins:download": (READ, lambda t: [t.bulletin.pk, "txt"], None),
    "ingest:list": (READ, None, hs),
    "ingest:create": (RECORD, None, None),
    "ingest:claims": (READ, None, hs),
    "ingest:detail": (READ, lambda t: [t.report_read.pk], None),
    "ingest:confirm": (RECORD, lambda t: [t.report_read.pk], None),
    "ingest:delete": (RECORD, lambda t: [t.report_read.pk], None),
    "ingest:org": (RECORD, lambda t: [t.report_read.pk], None),
    "ingest:bulletin-check": (READ, lambda t: [t.bulletin.pk], None),
    "stats:org": (READ, lambda t: [t.shiqi.pk], None),
    "stats:gaps": (READ, lambda t: [t.shiqi.pk, "party_lecture_coverage"], None),
    "stats:target": (READ, lambda t: [t.haishu.pk, t.target.pk], None),
    "stats:compare": (READ, lambda t: [t.shiqi.pk], None),
    "work": (READ, None, None),
    "research:problems": (READ, None, hs),
    "research:problem-create": (RECORD, None, None),
    "research:problem-import": (RECORD, None, None),
    "research:problem-template": (RECORD, None, None),
    "research:problem": (READ, lambda t: [t.problem.pk], None),
    "research:problem-step": (RECORD, lambda t: [t.problem.pk, "start"], None),
    "research:liaisons": (READ, None, None),
    "research:liaison-create": (MANAGE, None, None),
    "research:liaison": (READ, lambda t: [t.liaison.pk], None),
    "research:liaison-end": (MANAGE, lambda t: [t.liaison.pk], None),
    "research:topics": (READ, None, hs),
    "research:topic-create": (RECORD, None, None),
    "research:topic-link": (RECORD, lambda t: [t.seminar.pk], None),
    "research:reports": (READ, None, hs),
    "research:report-create": (RECORD, None, None),
    "research:report": (READ, lambda t: [t.report.pk], None),
    "research:report-discuss": (RECORD, lambda t: [t.report.pk], None),
    "research:report-edit": (RECORD, lambda t: [t.report.pk], None),
    "research:report-delete": (RECORD, lambda t: [t.report.pk], None),
    "research:topic-delete": (RECORD, lambda t: [t.topic.pk], None),
    "study:role-model-delete": (RECORD, lambda t: [t.model.pk], None),
    "study:class-delete": (RECORD, lambda t: [t.reading_class.pk], None),
    "research:rectifications": (READ, None, hs),
    "research:rectification-create": (RECORD, None, None),
    "research:rectification": (READ, lambda t: [t.rectification.pk], None),
    "research:rectification-advance": (RECORD, lambda t: [t.rectification.pk], None),
    "study:role-models": (READ, None, None),
    "study:role-model-create": (RECORD, None, None),
    "study:reading": (READ, None, hs),
    "study:reading-create": (RECORD, None, None),
    "study:classes": (READ, None, None),
    "study:class-create": (RECORD, None, None),
    "study:class": (READ, lambda t: [t.reading_class.pk], None),
    "study:class-trainees": (RECORD, lambda t: [t.reading_class.pk], None),
    "tokens:list": (READ, None, None),
    "tokens:revoke": (MANAGE, lambda t: [t.haishu_token.pk], None),
    "office:commitments": (READ, None, hs),
    "office:commitment-create": (RECORD, None, None),
    "office:commitment": (READ, lambda t: [t.commitment.pk], None),
    "office:commitment-link": (RECORD, lambda t: [t.commitment.pk, t.item.pk], None),
    "office:commitment-withdraw": (RECORD, lambda t: [t.commitment.pk], None),
    "office:evidence-unlink": (RECORD, lambda t: [t.evidence.pk], None),
    "office:groups": (READ, None, None),
    "office:group-create": (MANAGE, None, None),
    "office:group": (READ, lambda t: [t.group.pk], None),
    "office:visit-create": (RECORD, lambda t: [t.group.pk], None),
    "office:visits": (READ, None, hs),
    "office:visit": (READ, lambda t: [t.visit.pk], None),
    "office:visit-delete": (RECORD, lambda t: [t.visit.pk], None),
    "office:finding-problem": (RECORD, lambda t: [t.finding.pk], None),
    "office:notices": (READ, None, None),
    "office:notice-create": (MANAGE, None, None),
    "office:notice": (READ, lambda t: [t.notice.pk], None),
    "office:notice-reply": (RECORD, lambda t: [t.notice.pk], None),
    "office:notice-remind": (MANAGE, lambda t: [t.notice.pk], None),
    "office:notice-export": (READ, lambda t: [t.notice.pk], None),
    "office:attachment": (READ, lambda t: [t.attachment.pk], None),
    "study:courses": (READ, None, None),
    "study:course-create": (MANAGE, None, None),
    "study:course": (READ, lambda t: [t.course.pk], None),
    "study:course-media": (READ, lambda t: [t.course.pk], None),
    "study:course-progress": (SELF, lambda t: [t.course.pk], None),
    "study:course-group-viewing": (RECORD, lambda t: [t.course.pk], None),
    "orgs:sectors": (READ, None, None),
    "orgs:sector-create": (MANAGE, None, None),
    "orgs:sector-template": (MANAGE, None, None),
    "orgs:sector-import": (MANAGE, None, None),
    "orgs:sector": (READ, lambda t: [t.sector.pk], None),
    "orgs:sector-edit": (MANAGE, lambda t: [t.sector.pk], None),
    "orgs:sector-join": (MANAGE, lambda t: [t.sector.pk], None),
    "orgs:sector-leave": (MANAGE, lambda t: [t.membership.pk], None),
    "stats:sector": (READ, lambda t: [t.sector.pk], None),
    "stats:sector-gaps": (READ, lambda t: [t.sector.pk, "party_lecture_coverage"], None),
    "jobs:list": (READ, None, None),
    "jobs:detail": (OWN, lambda t: [t.job.pk], None),
    "jobs:cancel": (OWN, lambda t: [t.job.pk], None),
    "jobs:retry": (OWN, lambda t: [t.job.pk], None),
    "jobs:download": (OWN, lambda t: [t.job.pk], None),
}


def issued_bulletin(campaign, org):
    """An issued bulletin of `org` (a viewer reads issued bulletins, not drafts)."""
    from taizhang.bulletins import services as bulletins
    from taizhang.bulletins.template import load, templates_of
    from taizhang.stats.periods import whole

    template = load(templates_of(campaign)["bulletin"])
    draft = bulletins.generate(SYSTEM, template, campaign=campaign, org=org, period=whole(campaign))
    return bulletins.issue(SYSTEM, draft)


def read_report(campaign, org):
    from taizhang.ingest import services as ingest
    from taizhang.stats.periods import whole

    return ingest.read_report(
        SYSTEM, campaign=campaign, org=org, title="海曙区工作情况", period=whole(campaign),
        text="海曙区召开座谈会6场，讲授专题党课1场次。",
    )  # fmt: skip


def course_of(campaign, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from taizhang.demo.media import wav
    from taizhang.study import courses

    return courses.publish(
        SYSTEM, campaign=campaign, org=org, title="名师微课", series="名师微课",
        upload=SimpleUploadedFile("talk.wav", wav(1)),
    )  # fmt: skip


def api_token(user):
    from taizhang.api import tokens
    from taizhang.audit.services import Actor

    return tokens.create_token(Actor.web(user), name="区级平台")[0]


def background_job(user):
    from taizhang.jobs.models import Job, JobState

    return Job.objects.create(
        runner="ledger.import", title="导入", user=user, org=user.org, state=JobState.FAILED
    )


def route_names(resolver=None, namespace=""):
    """The name of every route the project serves (the admin and i18n aside)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            # The API has its own walk (api/tests/test_every_endpoint.py), with tokens.
            if str(entry.pattern).startswith(("admin/", "i18n/", "api/")):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}"


@override_settings(AXES_ENABLED=False)
class EveryRouteTests(WorkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from taizhang.campaigns.models import Target
        from taizhang.ledger import services as ledger
        from taizhang.ledger.models import VenueKind, VenueTier

        cls.haishu_viewer = orgs.create_user(
            SYSTEM, username="hv", password=PASSWORD, org=cls.haishu, role=Role.VIEWER
        )
        cls.haishu_base = ledger.create_venue(
            SYSTEM,
            code="RB062",
            name="海曙红色教育基地",
            kind=VenueKind.RED_BASE,
            tier=VenueTier.DISTRICT,
            owner=cls.haishu,
        )
        cls.seminar = ledger.create_activity(
            SYSTEM,
            kind=cls.kinds["seminar"],
            org=cls.haishu,
            starts_on=cls.campaign.starts_on.replace(month=9, day=3),
        )
        cls.target = Target.objects.filter(metric__campaign=cls.campaign).first()
        cls.bulletin = issued_bulletin(cls.campaign, cls.haishu)
        cls.report_read = read_report(cls.campaign, cls.haishu)
        cls.haishu_token = api_token(cls.bob)
        cls.job = background_job(cls.bob)
        build_office(cls)
        cls.evidence = commitments.link(SYSTEM, cls.item, cls.seminar)
        cls.course = course_of(cls.campaign, cls.haishu)
        cls.sector = sectors.create_sector(
            SYSTEM, code="HS-EDU", name="海曙教育系统", department=cls.haishu
        )
        cls.membership = sectors.join(SYSTEM, cls.sector, cls.shiqi)
        # The city education bureau answers for a system holding all of 海曙.
        bureau = orgs.create_org(
            SYSTEM, parent=cls.city, name="市教育局", code="3302U12", kind="city_unit"
        )
        edu = sectors.create_sector(SYSTEM, code="EDU", name="教育系统", department=bureau)
        sectors.join(SYSTEM, edu, cls.haishu)
        cls.bureau_manager = orgs.create_user(
            SYSTEM, username="edu", password=PASSWORD, org=bureau, role=Role.MANAGER
        )

    def url(self, name):
        access, args, query = ROUTES[name]
        url = reverse(name, args=args(self) if args else None)
        query = query(self) if query else {}
        return access, url, query, bool(args) or "org" in query

    def test_every_route_has_an_entry(self):
        self.assertEqual(set(route_names()) - set(ROUTES), set())
        self.assertEqual(set(ROUTES) - set(route_names()), set())

    def test_an_anonymous_visitor_is_sent_to_sign_in(self):
        for name in ROUTES:
            access, url, query, _named = self.url(name)
            if access == PUBLIC:
                continue
            with self.subTest(route=name):
                response = self.client.get(url, query)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_the_sibling_district_gets_404_on_every_haishu_object(self):
        self.client.force_login(self.carol)
        for name in ROUTES:
            access, url, query, named = self.url(name)
            if access == PUBLIC or not named:
                continue
            with self.subTest(route=name):
                if access == READ:
                    self.assertEqual(self.client.get(url, query).status_code, 404)
                elif access == OWN:
                    self.assertOutsider(url)
                elif access == SELF:
                    self.assertEqual(self.client.post(url).status_code, 404)
                else:  # a form page answers GET too; a POST-only route answers 405 to GET
                    self.assertIn(self.client.get(url, query).status_code, (404, 405))
                    posted = self.client.post(url + self.querystring(query))
                    self.assertEqual(posted.status_code, 404)

    def test_a_viewer_in_scope_reads_and_gets_403_on_every_write(self):
        self.client.force_login(self.haishu_viewer)
        for name in ROUTES:
            access, url, query, _named = self.url(name)
            if access == PUBLIC:
                continue
            with self.subTest(route=name):
                if access == READ:
                    self.assertIn(self.client.get(url, query).status_code, (200, 302))
                    continue
                if access == OWN:  # another user's job, and the viewer manages nobody
                    self.assertOutsider(url)
                    continue
                if access == SELF:  # the viewer's own viewing: allowed
                    self.assertEqual(self.client.post(url).status_code, 204)
                    continue
                status = self.client.post(url + self.querystring(query)).status_code
                if status == 405:  # a page or download for writers only: GET
                    status = self.client.get(url, query).status_code
                self.assertEqual(status, 403)

    def test_a_sector_department_reads_its_member_and_writes_nothing(self):
        """The manager of a system's responsible department reads every 海曙 object (海曙 is
        a member) but what stays within its own subtree (notices, jobs, users); no write
        succeeds, and nothing is written."""
        from taizhang.audit.models import Change

        self.client.force_login(self.bureau_manager)
        written = Change.objects.count()
        own_only = {"office:notice", "office:notice-export", "office:attachment", "orgs:user-edit",
                    "orgs:user-unlock", "tokens:revoke"}  # fmt: skip
        for name in ROUTES:
            access, url, query, named = self.url(name)
            if access in (PUBLIC, SELF):
                continue
            with self.subTest(route=name):
                if access == READ:
                    expected = 404 if name in own_only else 200
                    self.assertIn(self.client.get(url, query).status_code, (expected, 302))
                elif access == OWN:
                    self.assertOutsider(url)
                else:
                    status = self.client.post(url + self.querystring(query)).status_code
                    # Refused (403; 404 where the object is the own subtree's alone), or a
                    # form or page shown again with its errors: never written (below).
                    self.assertIn(status, (200, 302, 403, 404, 405))
                    if name in own_only:
                        self.assertIn(status, (403, 404))
                    self.assertEqual(Change.objects.count(), written, name)

    def assertOutsider(self, url):
        """404 to the method the route answers (405 to the other)."""
        statuses = {self.client.get(url).status_code, self.client.post(url).status_code}
        self.assertIn(404, statuses)
        self.assertLessEqual(statuses, {404, 405})

    def test_a_manager_above_sees_the_jobs_of_their_subtree(self):
        self.client.force_login(self.hank)
        self.assertEqual(
            self.client.get(reverse("jobs:detail", args=[self.job.pk])).status_code, 200
        )

    @staticmethod
    def querystring(query):
        return "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
