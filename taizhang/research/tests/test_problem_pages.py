"""The problem list's pages: who sees which problems, who may record and move them, the
export; outside one's scope a problem answers 404, a viewer's write 403."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from taizhang.audit.services import Actor
from taizhang.research import services
from taizhang.research.models import Problem, ProblemSource, ProblemState
from taizhang.testing import LedgerTestCase

D = datetime.date


class ProblemPageTests(LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.problem = services.raise_problem(
            Actor.web(cls.bob),
            campaign=cls.campaign,
            org=cls.shiqi,
            title="村道破损影响出行",
            source=ProblemSource.SEMINAR,
            raised_on=D(2019, 10, 8),
            deadline=D(2019, 11, 30),
        )

    def test_a_clerk_records_a_problem_and_moves_it_to_closed(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("research:problem-create"),
            {
                "title": "垃圾清运不及时",
                "source": ProblemSource.SEMINAR,
                "org": self.xinlian.code,
                "leader": self.zhang.code,
                "raised_on": "2019-10-10",
                "deadline": "2019-12-10",
            },
        )
        problem = Problem.objects.get(title="垃圾清运不及时")
        self.assertRedirects(response, reverse("research:problem", args=[problem.pk]))
        step = lambda name, **data: self.client.post(  # noqa: E731
            reverse("research:problem-step", args=[problem.pk, name]), data
        )
        step("close")  # refused: not resolved
        self.assertEqual(Problem.objects.get(pk=problem.pk).state, ProblemState.OPEN)
        step("start")
        step("resolve", resolution="增加清运车次", on="2019-11-01")
        step("close")
        problem.refresh_from_db()
        self.assertEqual(problem.state, ProblemState.CLOSED)
        page = self.client.get(reverse("research:problem", args=[problem.pk]))
        self.assertContains(page, "增加清运车次")
        self.assertContains(page, "已销号")

    def test_the_list_filters_and_exports_within_scope(self):
        self.client.force_login(self.dave)  # town viewer
        response = self.client.get(reverse("research:problems"), {"overdue": "on"})
        self.assertContains(response, "村道破损影响出行")
        export = self.client.get(reverse("research:problems"), {"format": "xlsx"})
        rows = list(load_workbook(io.BytesIO(export.content)).active.values)
        self.assertEqual(rows[1][0], "村道破损影响出行")
        self.assertEqual(rows[1][-1], "是")  # overdue today
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(reverse("research:problems")), "村道破损")

    def test_outsiders_get_404_and_viewers_403(self):
        detail = reverse("research:problem", args=[self.problem.pk])
        start = reverse("research:problem-step", args=[self.problem.pk, "start"])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertEqual(self.client.post(start).status_code, 404)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(detail).status_code, 200)
        self.assertEqual(self.client.post(start).status_code, 403)
        self.assertEqual(self.client.get(reverse("research:problem-create")).status_code, 403)
        self.assertEqual(Problem.objects.get(pk=self.problem.pk).state, ProblemState.OPEN)

    def test_the_dashboard_counts_the_subtrees_problems_as_they_move(self):
        self.client.force_login(self.hank)
        url = reverse("stats:org", args=[self.haishu.pk])
        counts = self.client.get(url).context["board"].problems
        self.assertEqual(
            (counts["total"], dict((s, n) for s, _l, n in counts["states"])["open"]), (1, 1)
        )
        services.start(Actor.web(self.hank), self.problem)
        counts = self.client.get(url).context["board"].problems
        states = {s: n for s, _l, n in counts["states"]}
        self.assertEqual((states["open"], states["in_progress"]), (0, 1))
        city_page = self.client.get(reverse("stats:org", args=[self.city.pk]))
        self.assertEqual(city_page.status_code, 404)  # 海曙's manager cannot open the city
        self.client.force_login(self.jill)
        self.assertEqual(
            self.client.get(reverse("stats:org", args=[self.jiangbei.pk]))
            .context["board"]
            .problems["total"],
            0,
        )

    def test_the_list_of_one_org_is_scoped(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("research:problems"), {"org": self.shiqi.pk})
        self.assertContains(response, "村道破损影响出行")
        self.assertEqual(
            self.client.get(reverse("research:problems"), {"org": self.cicheng.pk}).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("research:problems"), {"org": "x"}).status_code, 404
        )
