"""Every GET route of the project, asked with malformed ids and query values by the city
office manager (who may see everything), answers 404 or a page, never a 500."""

import re
from pathlib import Path

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from taizhang.campaigns.models import Target
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

# Every query parameter a page reads; the test below checks the list stays complete.
PARAMS = [
    "org", "kind", "period", "period_start", "period_end", "a", "a_start", "a_end", "b",
    "b_start", "b_end", "as_of", "page", "topic", "state", "sort", "dir", "coverage",
    "campaign", "q", "date_from", "date_to", "batch", "source", "format", "leader",
    "overdue", "area", "preset", "tier", "rank", "party", "focus", "resolution", "active",
    "traditional", "box", "unit", "mode", "metric", "under", "series", "within", "sector",
]  # fmt: skip
# Parameters swept one at a time with the others valid.
SWEPT = [
    "org", "kind", "period", "period_start", "period_end", "as_of", "page", "topic", "state",
    "campaign", "date_from", "date_to", "batch", "leader", "a", "b", "coverage", "format",
    "traditional",
]  # fmt: skip
# The values of the sweep; all of NASTY below is also sent to every parameter at once.
SWEEP_VALUES = ["9223372036854775808", "abc", "9999-12-31"]
NASTY = [
    "9223372036854775808",
    "99999999999999999999999999999",
    "-1",
    "0",
    "abc",
    "0001-01-01",
    "9999-12-31",
    "week-9999-W52",
    "week-0001-W01",
    "month-9999-12",
    "0001-01-01..9999-12-31",
    "batch-99999999999999999999",
    "宁波\u0000\ud7ff",
    "١٢٣",  # Arabic-Indic digits pass str.isdigit()
    "xlsx",
    "",
]
OK = (200, 302, 404, 405)  # 405: a POST-only route asked with GET
SOURCE = Path(__file__).resolve().parents[1]


def routes(resolver=None, prefix=""):
    """(route pattern, name) of every URL the project serves, the admin's aside."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith(("admin/", "i18n/", "api/")):  # fuzzed by schemathesis
                continue
            yield from routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern, entry.name


ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


class Routes(WorkTestCase):
    """The fixture and route discovery shared by the tests below."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ids = sorted(
            {
                o.pk
                for o in (
                    cls.city, cls.haishu, cls.shiqi, cls.xinlian, cls.lecture, cls.base,
                    cls.zhang, cls.bob, cls.topic, cls.report, cls.rectification,
                    cls.liaison, cls.reading_class, cls.model, cls.problem,
                )
            }
            | set(Target.objects.filter(metric__campaign=cls.campaign).values_list("pk", flat=True)[:3])
        )  # fmt: skip
        cls.slugs = [
            *cls.campaign.metrics.values_list("code", flat=True),
            "start", "resolve", "close", "reopen",
        ]  # fmt: skip

    def urls(self):
        """Each route with real objects filled in where it takes arguments: the first
        combination that answers 200, so the query values reach the view's own parsing."""
        self.client.force_login(self.alice)
        found = []
        for pattern, _name in routes():
            args = ARG.findall(pattern)
            candidates = [""]
            for converter, _arg in args:
                values = self.ids if converter == "int" else self.slugs
                candidates = [c + f"\0{v}" for c in candidates for v in values]
            for candidate in candidates:
                values = iter(candidate.split("\0")[1:])
                url = "/" + ARG.sub(lambda _m, values=values: next(values), pattern)
                if self.client.get(url).status_code == 200:
                    found.append(url)
                    break
            else:
                if not args:
                    found.append("/" + pattern)
        return found

    def valid_query(self):
        """Good values for every parameter, so a malformed one is not masked by another
        refused before it."""
        return {
            "org": self.haishu.pk,
            "kind": "study_session",
            "period": "batch-1",
            "campaign": self.campaign.code,
            "coverage": "party_lecture_coverage",
            "topic": self.topic.pk,
            "state": "open",
            "batch": "1",
            "page": "1",
        }


@override_settings(AXES_ENABLED=False)
class MalformedRequestTests(Routes):
    def test_it_lists_every_query_parameter_the_pages_read(self):
        read = set()
        for path in SOURCE.rglob("*.py"):
            text = path.read_text()
            read |= set(re.findall(r"GET(?:\.get|\.getlist)?[\[(]\s*[\"'](\w+)[\"']", text))
            read |= set(re.findall(r"_period\(request, campaign, \"(\w+)\"\)", text))
        self.assertEqual(read - set(PARAMS), set())

    def test_an_object_hidden_from_an_org_answers_404_to_every_role_there(self):
        """Scope before role: a 江北 viewer writing to a 海曙 object gets the 404 a 江北
        manager gets, never a 403 that confirms the object exists."""
        viewer = orgs.create_user(
            SYSTEM, username="victor", password=PASSWORD, org=self.jiangbei, role=Role.VIEWER
        )
        checked = 0
        for url in self.urls():
            self.client.force_login(viewer)
            as_viewer = self.client.post(url).status_code
            self.client.force_login(self.jill)
            if self.client.post(url).status_code == 404:
                checked += 1
                with self.subTest(url=url):
                    self.assertEqual(as_viewer, 404)
        self.assertGreater(checked, 20)

    def test_no_route_answers_500_to_malformed_values(self):
        urls = self.urls()  # signed in as the city office manager
        self.assertGreater(len(urls), 40)
        for url in urls:
            for value in NASTY:
                with self.subTest(url=url, value=value):
                    response = self.client.get(url, {name: value for name in PARAMS})
                    self.assertIn(response.status_code, OK, response.content[:300])
            for name in SWEPT:
                for value in SWEEP_VALUES:
                    with self.subTest(url=url, name=name, value=value):
                        query = {**self.valid_query(), name: value}
                        self.assertIn(self.client.get(url, query).status_code, OK)
        for pattern, _name in routes():
            for huge in ("9223372036854775808", "99999999999999999999"):
                url = "/" + ARG.sub(
                    lambda m, huge=huge: huge if m[1] == "int" else "x-\u5b81", pattern
                )
                with self.subTest(url=url):
                    self.assertIn(self.client.get(url).status_code, OK)


@override_settings(AXES_ENABLED=False)
class RandomQueryTests(HypothesisTestCase, Routes):
    """Random combinations of parameters and values, on the routes found above, with the
    other parameters valid or absent."""

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def test_random_query_values_never_give_500(self, data):
        if not hasattr(self, "_urls"):
            type(self)._urls = self.urls()
        url = data.draw(st.sampled_from(self._urls))
        names = data.draw(st.lists(st.sampled_from(PARAMS), min_size=1, max_size=4, unique=True))
        value = st.one_of(
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
            st.dates().map(str),
            st.text(max_size=12),
            st.sampled_from(NASTY),
            st.from_regex(r"(week|month|batch)-\d{1,5}(-W?\d{1,3})?", fullmatch=True),
        )
        query = self.valid_query() if data.draw(st.booleans()) else {}
        query.update({name: data.draw(value) for name in names})
        self.client.force_login(self.alice)
        response = self.client.get(url, query)
        self.assertIn(response.status_code, OK, (url, query))
