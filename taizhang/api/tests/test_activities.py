from taizhang.api.tests.base import ApiTestCase
from taizhang.audit.models import Change, Channel
from taizhang.ledger import totals
from taizhang.ledger.models import Activity, Source, Total

URL = "/api/v1/activities/"


class ActivityTests(ApiTestCase):
    def test_it_records_an_activity_through_the_services(self):
        secret = self.token(self.bob, name="海曙党建平台")
        response = self.post(URL, secret, self.lecture_body())
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        activity = Activity.objects.get(pk=data["id"])
        self.assertEqual(
            (data["org"], data["kind"], data["batch"]), ("330203009001", "party_lecture", 2)
        )
        self.assertEqual(activity.source, Source.API)
        self.assertEqual(activity.recorded_by, self.bob)
        change = Change.objects.of(activity).get()
        self.assertEqual(
            (change.channel, change.token_name, change.actor_name),
            (Channel.API, "海曙党建平台", "bob"),
        )
        self.assertEqual(totals.rebuild()["drift"], 0)  # the totals hold the new record

    def test_the_kinds_rules_hold(self):
        secret = self.token(self.bob)
        response = self.post(URL, secret, self.lecture_body(starts_on="2018-01-01", households=3))
        self.assertEqual(response.status_code, 400)
        errors = response.json()
        self.assertIn("starts_on", errors)
        self.assertIn("households", errors)
        self.assertEqual(Activity.objects.count(), 2)

    def test_an_org_outside_the_scope_is_404_like_one_that_does_not_exist(self):
        secret = self.token(self.bob)
        outside = self.post(URL, secret, self.lecture_body(org=self.wangjia))
        missing = self.post(URL, secret, self.lecture_body() | {"org": "no-such-org"})
        self.assertEqual((outside.status_code, missing.status_code), (404, 404))
        self.assertEqual(Activity.objects.count(), 2)
        venue = self.post(URL, secret, self.lecture_body(kind="roots_trip") | {"venue": "RB002"})
        self.assertEqual(venue.status_code, 404)

    def test_a_viewer_and_a_read_only_token_get_403(self):
        for secret in (self.token(self.dave), self.token(self.bob, read_only=True)):
            with self.subTest(secret=secret[:8]):
                response = self.post(URL, secret, self.lecture_body())
                self.assertEqual(response.status_code, 403)
                patched = self.call(
                    "patch", f"{URL}{self.lecture.pk}/", secret, {"participants": 1}
                )
                self.assertEqual(patched.status_code, 403)
                self.assertEqual(
                    self.call("delete", f"{URL}{self.lecture.pk}/", secret).status_code, 403
                )
        self.assertEqual(Activity.objects.count(), 2)

    def test_it_changes_and_deletes_with_history(self):
        secret = self.token(self.bob, name="平台")
        url = f"{URL}{self.lecture.pk}/"
        response = self.call("patch", url, secret, {"participants": 60})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["participants"], 60)
        self.lecture.refresh_from_db()
        self.assertEqual(self.lecture.participants, 60)
        self.assertEqual(self.call("delete", url, secret).status_code, 204)
        self.assertFalse(Activity.objects.filter(pk=self.lecture.pk).exists())
        channels = set(
            Change.objects.filter(object_id=str(self.lecture.pk), model="ledger.activity")
            .exclude(channel=Channel.CLI)
            .values_list("channel", "token_name")
        )
        self.assertEqual(channels, {(Channel.API, "平台")})
        self.assertEqual(totals.rebuild()["drift"], 0)

    def test_the_list_uses_the_pages_filter(self):
        secret = self.token(self.alice)
        everything = self.get(URL, secret).json()
        self.assertEqual(everything["count"], 2)
        haishu = self.get(f"{URL}?under=330203", secret).json()
        self.assertEqual([a["org"] for a in haishu["results"]], ["330203009001"])
        self.assertEqual(self.get(f"{URL}?org={self.jiangbei.pk}", secret).json()["count"], 1)
        self.assertEqual(self.get(f"{URL}?kind=seminar", secret).json()["count"], 0)
        # a 海曙 clerk never sees 江北's record, however the filter is written
        bob = self.token(self.bob)
        self.assertEqual(self.get(f"{URL}?under=330205", bob).json()["count"], 0)
        self.assertEqual(self.get(f"{URL}{self.jiangbei_lecture.pk}/", bob).status_code, 404)

    def test_the_totals_follow_api_writes(self):
        secret = self.token(self.bob)
        self.post(URL, secret, self.lecture_body(participants=7))
        kind = self.kinds["party_lecture"]
        self.assertEqual(
            sum(Total.objects.filter(org=self.haishu, kind=kind).values_list("records", flat=True)),
            Activity.objects.filter(org__path__startswith=self.haishu.path, kind=kind).count(),
        )


class ResearchTests(ApiTestCase):
    def test_a_report_missing_a_part_is_refused_with_the_part_named(self):
        from taizhang.research.models import ResearchReport

        secret = self.token(self.bob)
        body = {
            "org": self.shiqi.code, "title": "调研报告", "submitted_on": "2019-10-10",
            "situation": "现状", "problems": "问题", "analysis": "思考", "measures": " ",
            "topic": self.topic.pk,
        }  # fmt: skip
        refused = self.post("/api/v1/research-reports/", secret, body)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("measures", refused.json())
        self.assertEqual(ResearchReport.objects.count(), 1)
        body["measures"] = "举措"
        created = self.post("/api/v1/research-reports/", secret, body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["topic"], self.topic.pk)
        other = self.post(
            "/api/v1/research-reports/", self.token(self.carol), body | {"org": "330205"}
        )
        self.assertEqual(other.status_code, 404)  # 海曙's topic is not 江北's to name
