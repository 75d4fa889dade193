"""The Ningbo campaign's leadership duties and research records: liaisons and town adoption,
research topics, the problem list, research reports and lagging villages (the study records
are in `study.py`). Written through the services, like the
ledger records, so each is checked, kept in the history and counted in the totals.

The seed's figures (figures.md rows in brackets) hold for the city; the rest is random with
a fixed seed. Records that need the ledger's work (topics linking research trips, reports
discussed at findings meetings) are written after it, the rest before."""

import datetime
import itertools
import random
from collections import defaultdict

from django.db import connection

from taizhang.campaigns.models import Campaign
from taizhang.demo import courses as demo_courses
from taizhang.demo.office import OfficeRecords
from taizhang.demo.records import allot
from taizhang.demo.study import FIGURES as STUDY_FIGURES
from taizhang.demo.study import StudyRecords
from taizhang.ledger.models import Activity
from taizhang.orgs import services as orgs
from taizhang.orgs.models import LiaisonKind, Org, OrgKind, Person
from taizhang.research import services as research
from taizhang.research.models import RAISED_SOURCES, ProblemSource, ResearchReport

FIGURES = {
    **STUDY_FIGURES,
    "solved_on_spot": 82,  # [7]
    "research_reports": 8295,  # [25]
    "adopting_leaders": 386,  # [26]
    "rectified_villages": 136,  # [28]
}
# Lagging villages still being turned around when the campaign ended.
STILL_LAGGING = 14
# Problems on the district lists, beside the standing committee's solved on the spot.
DISTRICT_PROBLEMS = 24
VILLAGES = (OrgKind.VILLAGE, OrgKind.COMMUNITY)
PROBLEM_TITLES = [
    "农村生活污水治理设施运维不到位",
    "老旧小区加装电梯协调难",
    "中小企业融资难融资贵",
    "村级集体经济薄弱",
    "社区养老服务供给不足",
    "企业用工招工难",
    "背街小巷停车难",
    "农村道路破损亟需修缮",
    "审批事项办理时间长",
    "群众反映菜市场环境脏乱",
    "基层党组织活动阵地不足",
    "外来务工人员子女入学难",
]


def analyze():
    """Fresh planner statistics on PostgreSQL after a bulk write: inside one long
    transaction (a test's, a build's) autovacuum sees nothing, and plans made for empty
    tables turn the joins of thousands of rows into nested loops that take minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class CityDuties(StudyRecords):
    def __init__(self, actor, campaign: Campaign, city: Org, index: int):
        self.rng = random.Random(2019_500 + index)
        self.actor = actor
        self.campaign = campaign
        self.city = city
        self.index = index
        self.orgs = list(Org.objects.filter(path__startswith=city.path).order_by("path"))
        self.by_kind = defaultdict(list)
        for org in self.orgs:
            self.by_kind[org.kind].append(org)
        self.adoptions = []  # (leader, town, [villages]) for the field visits
        self.topics = {}  # leader id -> ResearchTopic
        self.areas = campaign.focus_areas or [campaign.name]

    def day(self, start, end):
        start = max(start, self.campaign.starts_on)
        end = min(end, self.campaign.ends_on)
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def people(self, org):
        return list(Person.objects.filter(org=org).order_by("code"))

    # Before the ledger's records: who guides, adopts and studies what.

    def before_records(self):
        self.standing_committee = self.people(self.city)
        self.guidance()
        self.claim_topics()
        self.adopt_towns()

    def guidance(self):
        """Each standing committee member guides one city-level unit and one district or
        zone (联系指导)."""
        units = self.rng.sample(self.by_kind[OrgKind.CITY_UNIT], len(self.standing_committee))
        places = self.by_kind[OrgKind.DISTRICT] + self.by_kind[OrgKind.DEV_ZONE]
        for i, (person, unit) in enumerate(zip(self.standing_committee, units, strict=True)):
            for org in (unit, places[i % len(places)]):
                orgs.assign_liaison(
                    self.actor,
                    person=person,
                    org=org,
                    kind=LiaisonKind.GUIDANCE,
                    started_on=self.campaign.starts_on,
                )

    def claim_topics(self):
        for i, person in enumerate(self.standing_committee):
            area = self.areas[i % len(self.areas)]
            self.topics[person.pk] = research.claim_topic(
                self.actor,
                campaign=self.campaign,
                org=self.city,
                leader=person,
                title=f"{area}：{PROBLEM_TITLES[i % len(PROBLEM_TITLES)]}问题研究",
                area=area,
                claimed_on=self.campaign.starts_on + datetime.timedelta(days=i),
            )

    def adopt_towns(self):
        """386 leaders adopt a town each: every member of a district's leadership teams a
        town of the district, and members of the zones' teams a town nearby (包乡走村)."""
        districts = self.by_kind[OrgKind.DISTRICT]
        towns_of = {
            d.pk: [t for t in self.by_kind[OrgKind.TOWN] if t.path[: -Org.steplen] == d.path]
            for d in districts
        }
        adopters = []
        for district in districts:
            towns = towns_of[district.pk]
            for i, person in enumerate(self.people(district)):
                adopters.append((person, towns[i % len(towns)]))
        zones = self.by_kind[OrgKind.DEV_ZONE]
        wanted = FIGURES["adopting_leaders"] - len(adopters)
        # Zone members in turn, one from each zone, until the figure is reached.
        zone_people = [self.people(z) for z in zones]
        in_turn = [p for row in itertools.zip_longest(*zone_people) for p in row if p]
        all_towns = self.by_kind[OrgKind.TOWN]
        for person in in_turn[: max(0, wanted)]:
            adopters.append((person, self.rng.choice(all_towns)))
        villages = defaultdict(list)
        for org in self.orgs:
            if org.kind in VILLAGES and org.active:
                villages[org.path[: -Org.steplen]].append(org)
        batch = self.campaign.batches.order_by("number").last()
        for person, town in adopters:
            orgs.assign_liaison(
                self.actor,
                person=person,
                org=town,
                kind=LiaisonKind.ADOPTION,
                started_on=batch.starts_on,
            )
            self.adoptions.append((person, town, villages[town.path]))

    def topic_title(self, leader):
        topic = self.topics.get(getattr(leader, "pk", None))
        return topic.title if topic else None

    # After the ledger's records.

    def after_records(self):
        analyze()  # the planner must know the tree and records just written
        self.link_topics()
        self.problems()
        self.reports()
        self.rectifications()
        self.role_models()
        self.reading()
        OfficeRecords(self.actor, self.campaign, self.city, self.by_kind, self.index).build()
        demo_courses.build(self.actor, self.campaign, self.city, self.by_kind, self.index)

    def link_topics(self):
        """The standing committee's research trips and seminars go to the topic their leader
        claimed; questionnaires to a topic of their focus area."""
        by_area = {}
        for topic in self.topics.values():
            by_area.setdefault(topic.area, topic)
        work = defaultdict(list)
        own = Activity.objects.filter(
            org=self.city, kind__code__in=research.TOPIC_KINDS
        ).select_related("kind", "org")
        for activity in own:
            topic = self.topics.get(activity.leader_id)
            if topic is None:
                area = next((a for a in self.areas if activity.topic.startswith(a)), None)
                topic = by_area.get(area)
            if topic is not None:
                work[topic.pk].append(activity)
        for topic in self.topics.values():
            if work[topic.pk]:
                research.link_to_topic(self.actor, topic, work[topic.pk])

    def problems(self):
        """82 problems solved on the spot by the standing committee on its research trips
        and seminars [7]; the districts' lists in every state, some overdue."""
        rng, campaign = self.rng, self.campaign
        trips = list(
            Activity.objects.filter(
                org=self.city, kind__code__in=["research_trip", "seminar"], leader__isnull=False
            ).order_by("starts_on", "id")
        )
        for n in range(FIGURES["solved_on_spot"]):
            trip = trips[n % len(trips)]
            title = PROBLEM_TITLES[n % len(PROBLEM_TITLES)]
            research.raise_problem(
                self.actor,
                campaign=campaign,
                org=self.city,
                title=f"{title}（现场办结{n + 1}）",
                source=ProblemSource.SEMINAR
                if trip.kind.code == "seminar"
                else ProblemSource.RESEARCH,
                deadline=trip.starts_on,
                raised_on=trip.starts_on,
                leader=trip.leader,
                solved_on_spot=True,
                resolution="调研现场召集相关部门会商，当场明确责任单位和办结时限并落实。",
            )
        end = campaign.ends_on
        for district in self.by_kind[OrgKind.DISTRICT]:
            leaders = self.people(district)
            for _n in range(rng.randint(DISTRICT_PROBLEMS // 2, DISTRICT_PROBLEMS)):
                raised = self.day(datetime.date(2019, 9, 1), datetime.date(2019, 12, 15))
                problem = research.raise_problem(
                    self.actor,
                    campaign=campaign,
                    org=district,
                    title=f"{district.label}：{rng.choice(PROBLEM_TITLES)}",
                    source=rng.choice([s.value for s in RAISED_SOURCES]),
                    deadline=raised + datetime.timedelta(days=rng.choice((30, 45, 60, 90))),
                    raised_on=raised,
                    leader=rng.choice(leaders) if leaders else None,
                    description="群众反映集中，需要区县（市）统筹推进。",
                )
                step = rng.random()
                if step < 0.2:
                    continue
                research.start(self.actor, problem)
                if step < 0.4:
                    continue
                solved = min(end, raised + datetime.timedelta(days=rng.randint(5, 60)))
                research.resolve(
                    self.actor, problem, resolution="制定整改方案并落实到位。", on=solved
                )
                if step < 0.6:
                    continue
                research.close(
                    self.actor,
                    problem,
                    on=min(end, solved + datetime.timedelta(days=rng.randint(1, 20))),
                )

    def reports(self):
        """8,295 research reports [25] from the leadership teams, weighted by size; the
        standing committee's on its topics, some discussed at its findings meetings."""
        rng = self.rng
        teams = [
            o
            for o in self.orgs
            if o.kind
            in (
                OrgKind.CITY_COMMITTEE,
                OrgKind.DISTRICT,
                OrgKind.DEV_ZONE,
                OrgKind.CITY_UNIT,
                OrgKind.TOWN,
            )
        ]
        size = defaultdict(int)
        for org in self.orgs:
            for team in teams:
                if org.path.startswith(team.path):
                    size[team.pk] += 1
        counts = allot(
            FIGURES["research_reports"], [size[t.pk] ** 0.5 for t in teams], rng, minimum=3
        )
        topics = list(self.topics.values())
        reports = []
        for team, n in zip(teams, counts, strict=True):
            for k in range(n):
                topic = topics[k % len(topics)] if team.pk == self.city.pk and topics else None
                area = topic.area if topic else rng.choice(self.areas)
                reports.append(
                    ResearchReport(
                        campaign=self.campaign,
                        org=team,
                        author=topic.leader if topic else None,
                        topic=topic,
                        title=f"关于{team.label}{area}工作的调研报告（{k + 1}）",
                        submitted_on=self.day(datetime.date(2019, 7, 1), self.campaign.ends_on),
                        situation=f"{team.label}{area}工作的基本情况。",
                        problems="存在的主要问题和短板。",
                        analysis="问题成因的分析与思考。",
                        measures="下一步的对策举措和责任分工。",
                    )
                )
        saved = research.submit_reports(self.actor, reports)
        meetings = list(
            Activity.objects.filter(org=self.city, kind__code__in=research.FINDINGS_KINDS)
        )
        own = [r for r in saved if r.org_id == self.city.pk]
        if meetings and own:
            research.discuss_reports(self.actor, meetings[0], own[:10])

    def rectifications(self):
        """136 lagging villages rectified [28] (some verified), 14 still being turned round."""
        rng = self.rng
        villages = rng.sample(
            [o for o in self.orgs if o.kind == OrgKind.VILLAGE and o.active],
            FIGURES["rectified_villages"] + STILL_LAGGING,
        )
        for n, village in enumerate(villages):
            found = self.day(datetime.date(2019, 9, 1), datetime.date(2019, 9, 30))
            rectification = research.identify_lagging_village(
                self.actor,
                campaign=self.campaign,
                village=village,
                reason="村级班子战斗力不强，集体经济薄弱。",
                on=found,
            )
            if n >= FIGURES["rectified_villages"] + STILL_LAGGING // 2:
                continue
            started = found + datetime.timedelta(days=rng.randint(3, 15))
            research.advance_rectification(
                self.actor,
                rectification,
                on=started,
                plan="调整充实村班子，选派第一书记，发展集体经济项目。",
            )
            if n >= FIGURES["rectified_villages"]:
                continue
            done = started + datetime.timedelta(days=rng.randint(30, 90))
            research.advance_rectification(self.actor, rectification, on=done)
            if rng.random() < 0.5:
                research.advance_rectification(
                    self.actor,
                    rectification,
                    on=min(self.campaign.ends_on, done + datetime.timedelta(days=14)),
                )
