"""Every endpoint of the API, taken from the URL resolver, with tokens: a clerk of the
sibling district gets 404 on every 海曙 object (read or write, and a create naming a 海曙
org in its body), a 海曙 viewer and a read-only token get 403 on every write, and a revoked
or expired token gets 401 everywhere. An endpoint added without an entry in ENDPOINTS
fails the first test."""

import datetime

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from taizhang.api.models import Token
from taizhang.api.tests.base import ApiTestCase
from taizhang.ingest.models import Claim
from taizhang.ledger import services as ledger
from taizhang.ledger.models import VenueKind, VenueTier
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.testing import PASSWORD, SYSTEM
from taizhang.tests.test_every_route import issued_bulletin, read_report

PUBLIC, OBJECT, LIST = "public", "object", "list"


def lecture(t):
    return t.lecture_body(org=t.shiqi)


# name: (kind, the URL's arguments, {write method: body}); an OBJECT's arguments name a 海曙
# object; a LIST's create body names a 海曙 org.
ENDPOINTS = {
    "api:schema": (PUBLIC, None, {}),
    "api:docs": (PUBLIC, None, {}),
    "api:redoc": (PUBLIC, None, {}),
    "api:not-found": (PUBLIC, None, {}),
    "api:org-list": (LIST, None, {}),
    "api:org-detail": (OBJECT, lambda t: [t.shiqi.code], {}),
    "api:org-children": (OBJECT, lambda t: [t.shiqi.code], {}),
    "api:org-subtree": (OBJECT, lambda t: [t.shiqi.code], {}),
    "api:org-figures": (OBJECT, lambda t: [t.shiqi.code], {}),
    "api:org-gaps": (OBJECT, lambda t: [t.shiqi.code, "party_lecture_coverage"], {}),
    "api:person-list": (LIST, None, {}),
    "api:person-detail": (OBJECT, lambda t: [t.zhang.code], {}),
    "api:venue-list": (LIST, None, {}),
    "api:venue-detail": (OBJECT, lambda t: [t.haishu_base.code], {}),
    "api:activity-list": (LIST, None, {"post": lecture}),
    "api:activity-bulk": (LIST, None, {"post": lambda t: {"items": [lecture(t)]}}),
    "api:activity-detail": (
        OBJECT,
        lambda t: [t.lecture.pk],
        {"patch": lambda t: {"participants": 3}, "put": lecture, "delete": None},
    ),
    "api:problem-list": (
        LIST,
        None,
        {
            "post": lambda t: {
                "org": t.shiqi.code,
                "title": "停车难",
                "source": "research",
                "raised_on": "2019-10-08",
                "deadline": "2019-11-30",
            }
        },
    ),  # fmt: skip
    "api:problem-detail": (OBJECT, lambda t: [t.problem.pk], {}),
    "api:problem-start": (OBJECT, lambda t: [t.problem.pk], {"post": lambda t: {}}),
    "api:problem-resolve": (
        OBJECT,
        lambda t: [t.problem.pk],
        {"post": lambda t: {"resolution": "修好了"}},
    ),
    "api:problem-close": (OBJECT, lambda t: [t.problem.pk], {"post": lambda t: {}}),
    "api:problem-reopen": (
        OBJECT,
        lambda t: [t.problem.pk],
        {"post": lambda t: {"reason": "复发"}},
    ),
    "api:topic-list": (
        LIST,
        None,
        {
            "post": lambda t: {
                "org": t.haishu.code,
                "leader": t.zhang.code,
                "title": "基层治理调研",
                "area": "乡村振兴",
            }
        },
    ),
    "api:topic-detail": (OBJECT, lambda t: [t.topic.pk], {}),
    "api:report-list": (
        LIST,
        None,
        {
            "post": lambda t: {
                "org": t.shiqi.code,
                "title": "石碶街道调研报告",
                "submitted_on": "2019-10-10",
                "situation": "现状",
                "problems": "问题",
                "analysis": "思考",
                "measures": "举措",
            }
        },
    ),  # fmt: skip
    "api:report-detail": (OBJECT, lambda t: [t.report.pk], {}),
    "api:bulletin-list": (
        LIST,
        None,
        {
            "post": lambda t: {
                "org": t.haishu.code,
                "starts_on": "2019-09-01",
                "ends_on": "2019-09-30",
            }
        },
    ),
    "api:bulletin-detail": (OBJECT, lambda t: [t.bulletin.pk], {}),
    "api:bulletin-download": (OBJECT, lambda t: [t.bulletin.pk, "txt"], {}),
    "api:claim-list": (LIST, None, {}),
    "api:claim-detail": (OBJECT, lambda t: [t.claim.pk], {}),
}

# Routes that answer POST alone (GET is 405 for any id, which tells nothing).
POST_ONLY = {
    "api:activity-bulk", "api:problem-start", "api:problem-resolve", "api:problem-close",
    "api:problem-reopen",
}  # fmt: skip


def api_route_names(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from api_route_names(entry, inner, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/"):
            yield f"{namespace}{entry.name}"


class EveryEndpointTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.haishu_viewer = orgs.create_user(
            SYSTEM, username="hv", password=PASSWORD, org=cls.haishu, role=Role.VIEWER
        )
        cls.haishu_base = ledger.create_venue(
            SYSTEM, code="RB062", name="海曙红色教育基地", kind=VenueKind.RED_BASE,
            tier=VenueTier.DISTRICT, owner=cls.haishu,
        )  # fmt: skip
        cls.bulletin = issued_bulletin(cls.campaign, cls.haishu)
        cls.claim = Claim.objects.filter(report=read_report(cls.campaign, cls.haishu)).first()

    def url(self, name):
        kind, args, writes = ENDPOINTS[name]
        return kind, reverse(name, args=args(self) if args else None), writes

    def send(self, method, url, secret, body):
        payload = None if body is None else body(self)
        if method == "get":
            return self.get(url, secret)
        return self.call(method, url, secret, payload)

    def test_every_endpoint_has_an_entry(self):
        self.assertIsNotNone(self.claim)
        names = set(api_route_names())
        self.assertEqual(names - set(ENDPOINTS), set())
        self.assertEqual(set(ENDPOINTS) - names, set())

    def test_the_sibling_district_gets_404_on_every_haishu_object(self):
        secret = self.token(self.carol)
        for name in ENDPOINTS:
            kind, url, writes = self.url(name)
            with self.subTest(endpoint=name):
                if kind == OBJECT:
                    if name not in POST_ONLY:
                        self.assertEqual(self.get(url, secret).status_code, 404)
                    for method, body in writes.items():
                        self.assertEqual(self.send(method, url, secret, body).status_code, 404)
                elif kind == LIST:
                    response = self.get(url, secret) if name not in POST_ONLY else None
                    if response is not None:
                        self.assertEqual(response.status_code, 200)
                        self.assertNotIn("330203", response.content.decode())
                    for method, body in writes.items():
                        self.assertEqual(self.send(method, url, secret, body).status_code, 404)

    def test_a_viewer_and_a_read_only_token_get_403_on_every_write(self):
        viewer = self.token(self.haishu_viewer)
        Token.objects.filter(user=self.haishu_viewer).update(read_only=False)  # the role alone
        read_only = self.token(self.bob, read_only=True)
        for secret in (viewer, read_only):
            for name in ENDPOINTS:
                kind, url, writes = self.url(name)
                with self.subTest(endpoint=name, token=secret[:8]):
                    if kind != PUBLIC and name not in POST_ONLY:
                        self.assertEqual(self.get(url, secret).status_code, 200)
                    for method, body in writes.items():
                        self.assertEqual(self.send(method, url, secret, body).status_code, 403)

    def test_revoked_and_expired_tokens_get_401_everywhere(self):
        revoked, expired = self.token(self.bob, name="旧"), self.token(self.bob, name="过期")
        Token.objects.filter(name="旧").update(revoked_at=timezone.now())
        Token.objects.filter(name="过期").update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        for secret in (revoked, expired, None):
            for name in ENDPOINTS:
                kind, url, writes = self.url(name)
                if kind == PUBLIC:
                    continue
                with self.subTest(endpoint=name, token=(secret or "none")[:8]):
                    if name not in POST_ONLY:
                        self.assertEqual(self.get(url, secret).status_code, 401)
                    for method, body in writes.items():
                        self.assertEqual(self.send(method, url, secret, body).status_code, 401)

    def test_the_writer_in_scope_gets_through(self):
        """The same bodies succeed for 海曙's clerk, so the 404s above are the scope's."""
        secret = self.token(self.bob)
        for name in (
            "api:activity-list",
            "api:activity-bulk",
            "api:problem-list",
            "api:bulletin-list",
        ):
            _kind, url, writes = self.url(name)
            with self.subTest(endpoint=name):
                self.assertEqual(self.send("post", url, secret, writes["post"]).status_code, 201)
        _kind, url, writes = self.url("api:problem-start")
        self.assertEqual(self.send("post", url, secret, writes["post"]).status_code, 200)
