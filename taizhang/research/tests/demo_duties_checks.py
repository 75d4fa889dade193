"""The demo's duties, study and research records give the seed's city-wide figures
(../shared/seed/figures.md rows in brackets). Each figure is read twice: from the records
themselves, and from the statistics engine's metric of the campaign definition."""

from django.db.models import Sum

from taizhang.demo import ningbo
from taizhang.ledger import totals
from taizhang.ledger.models import Activity
from taizhang.orgs.models import Liaison, LiaisonKind, OrgKind, Person
from taizhang.research.models import (
    Problem,
    Rectification,
    RectificationState,
    ResearchReport,
    ResearchTopic,
)
from taizhang.research.summaries import adoption, standing_committee_gaps
from taizhang.stats import figures, periods
from taizhang.study.models import ReadingClass, RoleModel


class DemoDutiesChecks:
    """Run by `demo/tests/test_ningbo_demo.py` on the one demo it builds."""

    def metric(self, code):
        """The city's figure from the statistics engine (the roll-up totals)."""
        metric = self.campaign.metrics.get(code=code)
        return figures.figures([metric], [self.city], periods.whole(self.campaign))[self.city.pk][
            code
        ].value

    def test_the_standing_committees_research(self):
        trips = Activity.objects.filter(org=self.city, kind__code="research_trip")
        self.assertEqual(trips.aggregate(n=Sum("count"))["n"], 90)  # [4]
        seminars = Activity.objects.filter(org=self.city, kind__code="seminar")
        self.assertEqual(seminars.aggregate(n=Sum("count"))["n"], 62)  # [5]
        copies = Activity.objects.filter(org=self.city, kind__code="questionnaire")
        self.assertGreaterEqual(copies.aggregate(n=Sum("copies"))["n"], 2700)  # [6]
        on_spot = Problem.objects.filter(org=self.city, solved_on_spot=True)
        self.assertEqual(on_spot.count(), 82)  # [7]
        members = set(Person.objects.filter(org=self.city, standing_committee=True))
        self.assertTrue(all(p.leader in members for p in on_spot))
        self.assertEqual(self.metric("problems_solved_on_spot"), 82)
        # Every trip, seminar and questionnaire was done for a claimed topic in a focus area.
        topics = ResearchTopic.objects.filter(org=self.city)
        self.assertTrue({t.area for t in topics} <= set(self.campaign.focus_areas))
        linked = Activity.objects.filter(research_topics__in=topics).distinct()
        self.assertEqual(linked.count(), trips.count() + seminars.count() + copies.count())
        self.assertEqual(len(self.campaign.focus_areas), 5)  # [27]

    def test_reading_classes_are_counted_from_sessions_and_trainees(self):
        sessions = ReadingClass.objects.filter(org=self.city)
        self.assertEqual(sessions.count(), 4)  # [8]
        batches = {
            b.number for s in sessions for b in self.campaign.batches.all() if b.covers(s.starts_on)
        }
        self.assertEqual(len(batches), 2)  # 分两批
        trainees = Person.objects.filter(reading_classes__in=sessions).distinct()
        self.assertEqual(trainees.count(), 1004)  # [9]
        self.assertEqual(len({t for s in sessions for t in s.topics}), 8)  # [10]
        self.assertEqual(self.metric("reading_class_sessions"), 4)
        self.assertEqual(self.metric("reading_class_cadres"), 1004)
        self.assertEqual(self.metric("reading_class_topics"), 8)

    def test_role_models_reports_and_rectified_villages(self):
        self.assertEqual(RoleModel.objects.filter(org=self.city).count(), 7)  # [21]
        self.assertEqual(self.metric("role_models"), 7)
        reports = ResearchReport.objects.filter(org__path__startswith=self.city.path)
        self.assertEqual(reports.count(), 8295)  # [25]
        self.assertFalse(reports.filter(measures="").exists())
        self.assertEqual(self.metric("research_reports"), 8295)
        done = Rectification.objects.filter(
            state__in=[RectificationState.RECTIFIED, RectificationState.VERIFIED]
        )
        self.assertEqual(done.count(), 136)  # [28]
        self.assertTrue(Rectification.objects.exclude(pk__in=done).exists())
        self.assertEqual(self.metric("rectified_villages"), 136)

    def test_386_adopting_leaders_visit_every_village_of_their_towns(self):
        adoptions = Liaison.objects.filter(kind=LiaisonKind.ADOPTION).select_related("org")
        self.assertEqual(adoptions.count(), 386)  # [26]
        self.assertEqual(self.metric("adopting_leaders"), 386)
        for liaison in adoptions:
            self.assertEqual(adoption(liaison, self.campaign).unvisited, [], liaison)
        leaders = {a.person.org.kind for a in adoptions.select_related("person__org")}
        self.assertEqual(leaders, {OrgKind.DISTRICT, OrgKind.DEV_ZONE})

    def test_every_standing_committee_member_has_both_liaisons(self):
        members = Person.objects.filter(standing_committee=True)
        self.assertEqual(members.count(), len(ningbo.STANDING_COMMITTEE_TITLES))
        self.assertEqual(standing_committee_gaps(self.city), [])

    def test_the_totals_hold_no_drift(self):
        self.assertEqual(totals.rebuild()["drift"], 0)
