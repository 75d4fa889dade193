"""The Ningbo campaign's work as ledger records.

Every city-wide total here is one of the seed's figures (`../shared/seed/figures.md`); the
split between districts, towns and villages is random (fixed seed) and weighted by the size
of each subtree, so districts differ as real ones do. Each record passes the same rules as a
form entry (`ledger.rules.check`) and is written with its history."""

import datetime
import random
from collections import defaultdict

from taizhang.ledger import rules
from taizhang.ledger.models import LecturerRole, Venue, VenueKind, VenueTier
from taizhang.orgs.models import Org, OrgKind, Person
from taizhang.orgs.scope import Scope

# The seed's figures for the whole city (figures.md rows in brackets).
FIGURES = {
    "committee_meeting": 15,  # [1]
    "instruction": 98,  # [2]
    "standing_study_days": 8,  # [3]
    "research_trip": 90,  # [4]
    "seminar": 62,  # [5]
    "questionnaire_copies": 2716,  # [6] 2700余份
    "study_sessions": 4619,  # [11]
    "study_days_average": 7,  # [12]
    "study_person_times": 78000,  # [13]
    "red_bases": 84,  # [14]
    "service_centres": 323,  # [15]
    "distance_stations": 3050,  # [16]
    "roots_trips": 12300,  # [17]
    "roots_trip_person_times": 556800,  # [18]
    "lecture_halls": 200,  # [20]
    "field_visits": 37700,  # [22]
    "visited_households": 52860,  # [23] 5.28万余家(户)
    "findings_meetings": 1196,  # [24]
    "party_lectures": 33400,  # [29]
}
LEADERSHIP = (
    OrgKind.CITY_COMMITTEE,
    OrgKind.DISTRICT,
    OrgKind.DEV_ZONE,
    OrgKind.CITY_UNIT,
    OrgKind.TOWN,
)
GRASSROOTS = (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
READING_TOPICS = [  # [10] 8 topics, two per session
    "坚定理想信念",
    "牢记初心使命",
    "践行党的宗旨",
    "坚持斗争精神",
    "推进国家治理现代化",
    "深化“三服务”",
    "推动高质量发展",
    "全面从严治党",
]
CITY_BASES = [
    "张人亚党章学堂",
    "余姚横坎头村红色教育基地",
    "四明山革命老区纪念馆",
    "浙东抗日根据地旧址",
    "宁波党史馆",
    "镇海口海防历史纪念馆",
    "中共宁波地方组织早期活动纪念馆",
    "沙孟海书学院红色展厅",
    "浙东（四明山）抗日根据地纪念馆",
    "宁波帮博物馆",
]


def allot(total, weights, rng, minimum=0):
    """Split `total` into len(weights) whole parts of at least `minimum`, roughly in
    proportion to `weights` with some noise; the parts sum to `total` exactly."""
    n = len(weights)
    spare = total - minimum * n
    if spare < 0:
        raise ValueError(f"cannot give {n} parts at least {minimum} from {total}")
    noisy = [w * rng.uniform(0.6, 1.4) for w in weights]
    scale = spare / sum(noisy)
    raw = [w * scale for w in noisy]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


class CityRecords:
    """Generates one city's records. `density` > 1 (synthetic cities at --scale) records
    each kind's work in that many times more rows, for benchmarks."""

    def __init__(self, campaign, city, index, density=1, duties=None):
        self.rng = random.Random(2019_000 + index)
        self.campaign = campaign
        self.kinds = {k.code: k for k in campaign.kinds.all()}
        self.batches = list(campaign.batches.all())
        self.scope = Scope.of(None)
        self.city = city
        self.index = index
        self.density = density
        self.duties = duties
        self.areas = campaign.focus_areas or [campaign.name]
        self.orgs = list(Org.objects.filter(path__startswith=city.path))
        self.by_id = {o.id: o for o in self.orgs}
        self.by_kind = defaultdict(list)
        for org in self.orgs:
            self.by_kind[org.kind].append(org)
        self.leadership = [o for o in self.orgs if o.kind in LEADERSHIP]
        self.grassroots = [o for o in self.orgs if o.kind in GRASSROOTS]
        self.people = defaultdict(list)
        for person in Person.objects.filter(org__path__startswith=city.path).only(
            "id", "code", "org_id", "name"
        ):
            person.org = self.by_id[person.org_id]
            self.people[person.org_id].append(person)
        self.size = self._subtree_sizes()

    def _subtree_sizes(self):
        size = defaultdict(int)
        for org in self.orgs:
            for depth in range(self.city.depth, org.depth + 1):
                size[org.path[: depth * Org.steplen]] += 1
        return {o.id: size[o.path] for o in self.orgs}

    # Helpers

    def day(self, org, *, late=False, batch=None):
        batch = batch or self.rng.choice([b for b in self.batches if b.includes(org)])
        start = max(batch.starts_on, self.campaign.starts_on)
        span = (batch.ends_on - start).days
        offset = self.rng.randint(span * 2 // 3, span) if late else self.rng.randint(0, span)
        return start + datetime.timedelta(days=offset)

    def leader(self, org):
        people = self.people.get(org.id)
        return self.rng.choice(people) if people else None

    def make(self, kind_code, org, **values):
        kind = self.kinds[kind_code]
        values.setdefault("starts_on", self.day(org))
        clean, errors = rules.check(
            kind, org, values, campaign=self.campaign, batches=self.batches, scope=self.scope
        )
        if errors:
            raise ValueError(f"demo record for {org.code} {kind_code} is invalid: {errors}")
        return clean

    # Venues

    def venue_objects(self):
        rng, city = self.rng, self.city
        prefix = "" if self.index == 0 else f"{self.index:02d}-"
        towns = self.by_kind[OrgKind.TOWN]
        districts = self.by_kind[OrgKind.DISTRICT]
        places = self.by_kind[OrgKind.VILLAGE] + self.by_kind[OrgKind.COMMUNITY]
        venues = []

        def add(code, name, kind, tier, owner):
            venues.append(
                Venue(code=f"{prefix}{code}", name=name, kind=kind, tier=tier, owner=owner)
            )

        for i, name in enumerate(CITY_BASES, start=1):
            add(
                f"RB{i:03d}",
                name if self.index == 0 else f"{name}（模拟{self.index + 1}）",
                VenueKind.RED_BASE,
                VenueTier.CITY_MODEL,
                city,
            )
        for i in range(len(CITY_BASES) + 1, FIGURES["red_bases"] + 1):
            owner = rng.choice(districts)
            add(
                f"RB{i:03d}",
                f"{owner.label}红色教育基地{i:02d}号",
                VenueKind.RED_BASE,
                VenueTier.DISTRICT,
                owner,
            )
        # Ningbo has exactly the seed's counts; a smaller synthetic city has what fits.
        owners = towns + rng.sample(places, FIGURES["service_centres"] - len(towns))
        for i, owner in enumerate(owners, start=1):
            tier = VenueTier.TOWN if owner.kind == OrgKind.TOWN else VenueTier.VILLAGE
            add(f"SC{i:04d}", f"{owner.label}党群服务中心", VenueKind.SERVICE_CENTRE, tier, owner)
        for i, owner in enumerate(
            rng.sample(places, min(len(places), FIGURES["distance_stations"])), start=1
        ):
            add(
                f"DS{i:04d}",
                f"{owner.label}远教站点",
                VenueKind.DISTANCE_STATION,
                VenueTier.VILLAGE,
                owner,
            )
        hall_owners = districts + self.by_kind[OrgKind.CITY_UNIT] + towns
        for i, owner in enumerate(rng.sample(hall_owners, FIGURES["lecture_halls"]), start=1):
            tier = {OrgKind.TOWN: VenueTier.TOWN, OrgKind.DISTRICT: VenueTier.DISTRICT}.get(
                owner.kind, VenueTier.CITY
            )
            add(f"LH{i:04d}", f"{owner.label}“初心讲堂”", VenueKind.LECTURE_HALL, tier, owner)
        return venues

    # Records, kind by kind. Each yields Activity objects.

    def standing_committee(self):
        city, rng = self.city, self.rng
        topics = [f"{area}专题调研" for area in self.areas]
        for _ in range(FIGURES["committee_meeting"]):
            yield self.make(
                "committee_meeting",
                city,
                participants=rng.randint(20, 60),
                topic="主题教育工作推进",
            )
        for _ in range(FIGURES["instruction"]):
            yield self.make("instruction", city, leader=self.leader(city))
        for days, batch, sessions in ((3, 0, 6), (3, 0, 5), (2, 1, 4)):
            yield self.make(
                "study_session",
                city,
                count=sessions,
                days=days,
                person_times=sessions * 13,
                starts_on=self.day(city, batch=self.batches[batch]),
                topic="市委常委会专题学习研讨",
            )
        visited = (
            self.by_kind[OrgKind.VILLAGE]
            + self.by_kind[OrgKind.COMMUNITY]
            + self.by_kind[OrgKind.CITY_UNIT]
        )
        for _ in range(FIGURES["research_trip"]):
            leader = self.leader(city)
            yield self.make(
                "research_trip",
                city,
                leader=leader,
                topic=self.duties.topic_title(leader) or rng.choice(topics),
                visited_org=rng.choice(visited),
            )
        for _ in range(FIGURES["seminar"]):
            yield self.make(
                "seminar", city, participants=rng.randint(8, 30), leader=self.leader(city)
            )
        for copies in allot(FIGURES["questionnaire_copies"], [1] * 9, rng, minimum=100):
            yield self.make("questionnaire", city, copies=copies, topic=rng.choice(topics))

    def study_sessions(self):
        """4619 sessions over the leadership teams, 7 days of study on average per team
        (the standing committee's 8 among them), 7.8万 person-times."""
        rng, city = self.rng, self.city
        teams = [o for o in self.leadership if o.id != city.id]
        total_days = (
            FIGURES["study_days_average"] * (len(teams) + 1) - FIGURES["standing_study_days"]
        )
        days = allot(total_days, [1] * len(teams), rng, minimum=5)
        sessions = allot(
            FIGURES["study_sessions"] - 15, [self.size[t.id] ** 0.3 for t in teams], rng, minimum=6
        )
        times = allot(FIGURES["study_person_times"] - 15 * 13, sessions, rng)
        for team, team_days, team_sessions, team_times in zip(
            teams, days, sessions, times, strict=True
        ):
            periods = min(3, team_days, team_sessions)
            for d, s, t in zip(
                allot(team_days, [1] * periods, rng, minimum=1),
                allot(team_sessions, [1] * periods, rng, minimum=1),
                allot(team_times, [1] * periods, rng),
                strict=True,
            ):
                yield self.make(
                    "study_session", team, count=s, days=d, person_times=t, leader=self.leader(team)
                )

    def roots_trips(self):
        rng, city = self.rng, self.city
        bases = self.red_bases
        organisers = [city] + [
            o for o in self.orgs if o.id != city.id and o.kind != OrgKind.CITY_COMMITTEE
        ]
        weights = [1] + [3 if o.kind in LEADERSHIP else 1 for o in organisers[1:]]
        trips = allot(FIGURES["roots_trips"] * self.density - 1, weights[1:], rng)
        trips = [1] + trips
        times = allot(FIGURES["roots_trip_person_times"] * self.density - 13, trips[1:], rng)
        times = [13] + times
        for org, n, people in zip(organisers, trips, times, strict=True):
            if n == 0:
                continue
            for each in allot(people, [1] * n, rng):
                venue = rng.choice(bases)
                yield self.make(
                    "roots_trip",
                    org,
                    person_times=each,
                    venue=venue,
                    title=f"赴{venue.name}开展“初心之旅”",
                    **({"starts_on": datetime.date(2019, 7, 1)} if org is city else {}),
                )

    def field_visits(self):
        """3.77万 visits: first each adopting leader's visit to every village of the adopted
        town (recorded by the leader's team), the rest spread by the teams' size."""
        rng = self.rng
        teams = self.leadership
        adoption_visits = defaultdict(list)  # team id -> [(leader, village)]
        for leader, _town, villages in self.duties.adoptions if self.duties else ():
            adoption_visits[leader.org_id].extend((leader, v) for v in villages)
        needed = sum(len(v) for v in adoption_visits.values())
        visits = allot(
            FIGURES["field_visits"] * self.density - needed,
            [self.size[t.id] ** 0.5 for t in teams],
            rng,
            minimum=10,
        )
        visits = [n + len(adoption_visits[t.id]) for t, n in zip(teams, visits, strict=True)]
        households = allot(FIGURES["visited_households"] * self.density, visits, rng)
        for team, n, homes in zip(teams, visits, households, strict=True):
            places = [
                o
                for o in self.orgs
                if o.path.startswith(team.path) and o.kind in (OrgKind.VILLAGE, OrgKind.COMMUNITY)
            ]
            adopted = adoption_visits[team.id]
            for i, each in enumerate(allot(homes, [1] * n, rng)):
                leader, place = adopted[i] if i < len(adopted) else (self.leader(team), None)
                if place is None and places:
                    place = rng.choice(places)
                yield self.make(
                    "field_visit",
                    team,
                    households=each,
                    leader=leader,
                    visited_org=place,
                    topic=rng.choice(self.areas),
                )

    def findings_and_meetings(self):
        rng = self.rng
        meetings = allot(
            FIGURES["findings_meetings"],
            [self.size[t.id] ** 0.3 for t in self.leadership],
            rng,
            minimum=3,
        )
        for team, n in zip(self.leadership, meetings, strict=True):
            for _ in range(n):
                yield self.make("findings_meeting", team, participants=rng.randint(10, 60))
            first = self.batches[0] if self.batches[0].includes(team) else self.batches[-1]
            yield self.make(
                "gap_meeting",
                team,
                participants=rng.randint(7, 20),
                starts_on=self.day(team, late=True, batch=first),
            )
            yield self.make(
                "life_meeting",
                team,
                participants=rng.randint(7, 20),
                leader=self.leader(team),
                starts_on=self.day(team, late=True, batch=first),
            )

    def party_lectures(self):
        """3.34万 lectures: every grassroots organisation holds at least one, leading cadres
        lecture in their own teams, a tenth of the rows are a month's lectures in one."""
        rng = self.rng
        lead = [(t, rng.randint(2, 4)) for t in self.leadership]
        rest = FIGURES["party_lectures"] * self.density - sum(n for _, n in lead)
        counts = allot(rest, [1] * len(self.grassroots), rng, minimum=1)
        for team, n in lead:
            for _ in range(n):
                yield self.make(
                    "party_lecture",
                    team,
                    lecturer_role=LecturerRole.LEADER,
                    leader=self.leader(team),
                    participants=rng.randint(20, 120),
                )
        for org, n in zip(self.grassroots, counts, strict=True):
            while n > 0:
                each = min(n, rng.randint(2, 5)) if rng.random() < 0.1 else 1
                n -= each
                role = LecturerRole.SECRETARY if rng.random() < 0.4 else LecturerRole.MEMBER
                yield self.make(
                    "party_lecture",
                    org,
                    count=each,
                    lecturer_role=role,
                    participants=rng.randint(8, 60) * each,
                )

    def all(self):
        from taizhang.demo.carriers import base_visits  # it uses allot from here

        yield from self.standing_committee()
        yield from self.study_sessions()
        yield from self.roots_trips()
        yield from base_visits(self)
        yield from self.field_visits()
        yield from self.findings_and_meetings()
        yield from self.party_lectures()
