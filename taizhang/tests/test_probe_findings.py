"""Regression tests for the findings of the security probe (issue 11) not covered in their
own files: bounded numbers, dates in range, the top of a scope, headers and sessions,
messages in the user's language, and the sign-in lock."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from taizhang.campaigns.models import NUMBER_MAXIMA
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Activity, KindTotal
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Org, OrgKind
from taizhang.research import services as research
from taizhang.research.models import Problem
from taizhang.testing import PARTS, PASSWORD, SYSTEM, WorkTestCase

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]


class BoundedNumberTests(WorkTestCase):
    def test_a_number_past_its_maximum_is_refused_by_the_form_and_the_service(self):
        self.client.force_login(self.bob)
        url = reverse("ledger:create") + "?kind=party_lecture"
        for participants in (2**63 - 1, 10**30, NUMBER_MAXIMA["participants"] + 1):
            with self.subTest(participants=participants):
                response = self.client.post(
                    url,
                    {
                        "org": self.xinlian.code,
                        "starts_on": "2019-09-20",
                        "count": 1,
                        "lecturer_role": "member",
                        "participants": participants,
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "10000000")  # the form names the maximum
        self.assertEqual(Activity.objects.filter(org=self.xinlian).count(), 1)
        with self.assertRaises(ValidationError) as caught:
            ledger.create_activity(
                SYSTEM,
                kind=self.kinds["party_lecture"],
                org=self.xinlian,
                starts_on=D(2019, 9, 20),
                lecturer_role="member",
                count=NUMBER_MAXIMA["count"] + 1,
            )
        self.assertIn("count", caught.exception.error_dict)

    def test_totals_at_the_maxima_stay_exact_and_the_dashboard_opens(self):
        for _ in range(2):
            ledger.create_activity(
                SYSTEM,
                kind=self.kinds["party_lecture"],
                org=self.xinlian,
                starts_on=D(2019, 9, 20),
                lecturer_role="member",
                count=NUMBER_MAXIMA["count"],
                participants=NUMBER_MAXIMA["participants"],
            )
        total = KindTotal.objects.get(org=self.city, kind=self.kinds["party_lecture"], own=False)
        self.assertEqual(total.participants, 2 * NUMBER_MAXIMA["participants"] + 35)
        self.client.force_login(self.alice)
        for period in ("", "month-2019-09"):
            response = self.client.get(
                reverse("stats:org", args=[self.city.pk]), {"period": period}
            )
            self.assertEqual(response.status_code, 200)


class DateTests(WorkTestCase):
    def raise_problem(self, **dates):
        values = {"raised_on": D(2019, 9, 10), "deadline": D(2019, 10, 31), **dates}
        return research.raise_problem(
            SYSTEM,
            campaign=self.campaign,
            org=self.shiqi,
            title="新问题",
            source="research",
            **values,
        )

    def test_problem_dates_out_of_range_are_refused(self):
        cases = [
            ({"raised_on": D(1, 1, 1)}, "raised_on"),
            ({"raised_on": D(9999, 12, 30), "deadline": D(9999, 12, 31)}, "raised_on"),
            ({"deadline": D(9999, 12, 31)}, "deadline"),
        ]
        for dates, field in cases:
            with self.subTest(dates=dates), self.assertRaises(ValidationError) as caught:
                self.raise_problem(**dates)
            self.assertIn(field, caught.exception.error_dict)
        self.assertFalse(Problem.objects.filter(title="新问题").exists())
        problem = self.raise_problem()
        research.start(SYSTEM, problem)
        with self.assertRaises(ValidationError) as caught:
            research.resolve(SYSTEM, problem, resolution="修好了", on=D(9999, 12, 31))
        self.assertIn("resolved_on", caught.exception.error_dict)

    def test_a_report_dated_9999_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            research.submit_report(
                SYSTEM,
                campaign=self.campaign,
                org=self.shiqi,
                title="九九九九年的报告",
                submitted_on=D(9999, 12, 31),
                **PARTS,
            )
        self.assertIn("submitted_on", caught.exception.error_dict)

    def test_the_problem_form_names_the_field(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("research:problem-create"),
            {
                "title": "路灯",
                "source": "research",
                "org": self.shiqi.code,
                "raised_on": "2019-09-10",
                "deadline": "9999-12-31",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "晚于")
        self.assertFalse(Problem.objects.filter(title="路灯").exists())


class TopOfScopeTests(WorkTestCase):
    def test_a_district_manager_cannot_change_the_kind_or_activity_of_their_district(self):
        self.client.force_login(self.hank)
        url = reverse("orgs:edit", args=[self.haishu.pk])
        self.client.post(
            url, {"name": "海曙区", "short_name": "海曙", "code": self.haishu.code, "kind": "other"}
        )
        haishu = Org.objects.get(pk=self.haishu.pk)
        self.assertEqual((haishu.kind, haishu.active), (OrgKind.DISTRICT, True))
        with self.assertRaises(PermissionDenied):
            orgs.update_org(orgs.Actor.web(self.hank), haishu, kind=OrgKind.OTHER)
        # the name may change; and the city may change the district's kind
        orgs.update_org(orgs.Actor.web(self.hank), haishu, short_name="海曙区委")
        orgs.update_org(orgs.Actor.web(self.alice), haishu, active=False)
        self.assertFalse(Org.objects.get(pk=self.haishu.pk).active)
        # a manager may still change the orgs below their own
        orgs.update_org(orgs.Actor.web(self.hank), self.shiqi, kind=OrgKind.OTHER)


class HeaderTests(WorkTestCase):
    def test_pages_carry_the_csp_and_signed_in_pages_and_downloads_are_not_stored(self):
        login = self.client.get(reverse("login"))
        policy = login.headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy.split("script-src")[1].split(";")[0])
        self.client.force_login(self.bob)
        for url in (
            reverse("home"),
            reverse("stats:org", args=[self.haishu.pk]),
            reverse("ledger:list") + "?format=xlsx",
            reverse("ledger:template") + "?kind=party_lecture",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.headers["Cache-Control"], "no-store")
                self.assertIn("Content-Security-Policy", response.headers)

    def test_no_page_runs_an_inline_script(self):
        self.client.force_login(self.alice)
        for url in (
            reverse("home"),
            reverse("stats:org", args=[self.city.pk]),
            reverse("ledger:import") + "?kind=party_lecture",
            reverse("orgs:edit", args=[self.haishu.pk]),
            reverse("research:liaison", args=[self.liaison.pk]),
            reverse("ledger:create") + "?kind=party_lecture",
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                for opening in html.split("<script")[1:]:
                    tag = opening.split(">", 1)[0]
                    self.assertTrue("src=" in tag or "application/json" in tag, tag)
                self.assertNotIn(" onchange=", html)
                self.assertNotIn(" onsubmit=", html)
                self.assertNotIn("javascript:", html)

    def test_a_session_ends_after_hours_without_a_request(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 8 * 3600)
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)
        self.client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cookie["max-age"], 8 * 3600)
        self.assertTrue(cookie["httponly"])

    def test_the_documented_production_settings_pass_the_deploy_check(self):
        env = {
            **os.environ,
            "TAIZHANG_HTTPS": "1",
            "TAIZHANG_SECRET_KEY": "k" * 20 + "-production-key-of-fifty-characters-or-more-0123",
            "TAIZHANG_ALLOWED_HOSTS": "taizhang.example.org",
        }
        env.pop("TAIZHANG_DEBUG", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


class LanguageTests(WorkTestCase):
    def test_a_constraint_is_explained_and_not_named(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("study:class-create"),
            {
                "org": self.haishu.code,
                "number": 2,
                "name": "第二期",
                "starts_on": "2019-07-10",
                "ends_on": "2019-07-01",
                "topics": "理想信念",
                "trainees": self.zhang.code,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "reading_session_dates_in_order")
        self.assertContains(response, "结束日期不得早于开始日期")

    def test_password_rules_speak_chinese(self):
        self.client.force_login(self.hank)
        response = self.client.post(
            reverse("orgs:user-create"),
            {"username": "newbie", "org": self.haishu.code, "role": "viewer", "password": "abc"},
        )
        self.assertContains(response, "密码太短")
        self.assertNotContains(response, "This password is too short")

    def test_a_person_number_used_elsewhere_is_just_in_use(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from taizhang.orgs.imports import PERSON_HEADERS
        from taizhang.testing import xlsx_bytes

        data = xlsx_bytes(
            [PERSON_HEADERS, [self.li.code, "冒名", self.haishu.code, "科员", "其他", "是", "是"]]
        )
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("orgs:person-import"), {"file": SimpleUploadedFile("p.xlsx", data)}
        )
        self.assertContains(response, "该人员编号已被使用")
        self.assertNotContains(response, "范围外")


@override_settings(AXES_ENABLED=True)
class SignInLockTests(WorkTestCase):
    def fail(self, username, times):
        for _ in range(times):
            self.client.post(reverse("login"), {"username": username, "password": "wrong"})

    def test_a_manager_lifts_a_lock_a_colleague_set_off(self):
        self.fail("bob", settings.AXES_FAILURE_LIMIT)
        self.assertTrue(orgs.is_locked_out(self.bob))
        response = self.client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(response.status_code, 429)
        self.client.force_login(self.carol)  # not bob's manager: 404 (outside her scope)
        self.assertEqual(
            self.client.post(reverse("orgs:user-unlock", args=[self.bob.pk])).status_code, 404
        )
        self.client.force_login(self.hank)
        page = self.client.get(reverse("orgs:user-edit", args=[self.bob.pk]))
        self.assertContains(page, "解除锁定")
        self.client.post(reverse("orgs:user-unlock", args=[self.bob.pk]))
        self.assertFalse(orgs.is_locked_out(self.bob))
        self.client.logout()
        self.client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        self.assertIn("_auth_user_id", self.client.session)

    def test_a_reporter_cannot_lift_a_lock(self):
        self.fail("bob", settings.AXES_FAILURE_LIMIT)
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.post(reverse("orgs:user-unlock", args=[self.bob.pk])).status_code, 403
        )
        self.assertTrue(orgs.is_locked_out(self.bob))


class MalformedQueryTests(WorkTestCase):
    def test_the_probed_urls_answer_404_or_a_page(self):
        self.client.force_login(self.alice)
        org = self.city.pk
        urls = [
            f"/stats/orgs/{org}/?period=week-9999-W52",
            f"/stats/orgs/{org}/gaps/party_lecture_coverage/?period=week-9999-W52",
            f"/stats/orgs/{org}/gaps/party_lecture_coverage/?period=week-9999-W52&format=xlsx",
            f"/stats/orgs/{org}/compare/?as_of=0001-01-01",
            f"/stats/orgs/{org}/compare/?as_of=9999-12-31",
            "/research/reports/?topic=9223372036854775808",
            "/ledger/new/?kind=study_session&org=abc",
            "/people/new/?org=abc",
            "/users/new/?org=abc",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, (200, 404))
