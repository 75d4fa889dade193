"""The lists' FilterSets (shared by the pages, the exports and the API) are built on the
user's scoped queryset: a filter naming an org outside the scope gives an empty list, never
another district's rows, and a malformed value filters nothing away by mistake."""

from taizhang.ledger.filtersets import ActivityFilterSet
from taizhang.research.filtersets import ProblemFilterSet
from taizhang.testing import WorkTestCase


class FilterSetScopeTests(WorkTestCase):
    def test_an_org_outside_the_scope_filters_to_nothing(self):
        for name, make in (
            ("activities", lambda d, u: ActivityFilterSet(d, user=u, campaign=self.campaign)),
            ("problems", lambda d, u: ProblemFilterSet(d, user=u)),
        ):
            with self.subTest(list=name):
                own = make({"org": self.haishu.pk}, self.bob).qs
                self.assertTrue(own.exists())
                self.assertFalse(make({"org": self.haishu.pk}, self.carol).qs.exists())
                self.assertFalse(make({"org": "9223372036854775808"}, self.bob).qs.exists())
                # no filter: the user's scope, nothing from the sibling district
                everything = make({}, self.carol).qs
                self.assertFalse(everything.filter(org__path__startswith=self.haishu.path).exists())

    def test_the_activity_filters_narrow_within_the_scope(self):
        filters = ActivityFilterSet(
            {"kind": "party_lecture", "date_from": "2019-09-20", "q": "新联村"},
            user=self.alice,
            campaign=self.campaign,
        )
        self.assertEqual(list(filters.qs), [self.lecture])
        bad = ActivityFilterSet(
            {"date_from": "not-a-date"}, user=self.alice, campaign=self.campaign
        )
        self.assertFalse(bad.form.is_valid())

    def test_the_problem_leader_filter_matches_only_visible_leaders(self):
        self.assertEqual(
            list(ProblemFilterSet({"leader": "张海"}, user=self.bob).qs), [self.problem]
        )
        self.assertFalse(ProblemFilterSet({"leader": "张海"}, user=self.carol).qs.exists())
