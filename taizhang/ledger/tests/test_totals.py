"""The roll-up totals always equal what the raw records give, whatever was written: a record
counts once on its own org and once on each ancestor, for its kind and its first day."""

import datetime
import io
from collections import defaultdict
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from taizhang.campaigns.models import NUMBER_FIELDS, NUMBER_MAXIMA, ActivityKind, Aggregate
from taizhang.campaigns.sources import SOURCES
from taizhang.demo.media import wav
from taizhang.jobs.models import Job, JobState
from taizhang.jobs.services import run as run_job
from taizhang.ledger import rules, services, totals
from taizhang.ledger.models import (
    Activity,
    KindTotal,
    MonthReach,
    MonthReachCount,
    Reach,
    ReachCount,
    SectorKindTotal,
    SectorMonthReachCount,
    SectorReachCount,
    SectorTotal,
    SectorVenueCount,
    Source,
    Total,
    Venue,
    VenueCount,
    VenueKind,
    VenueTier,
)
from taizhang.office.models import Commitment, Finding, Receipt, SupervisionVisit
from taizhang.office.services import commitments, notices, supervision
from taizhang.orgs import sectors
from taizhang.orgs import services as org_services
from taizhang.orgs.models import (
    Org,
    OrgKind,
    Sector,
    SectorCount,
    SectorMember,
    SubtreeCount,
    User,
)
from taizhang.orgs.scope import Scope
from taizhang.research.services import problems
from taizhang.stats import figures as stats_figures
from taizhang.stats import periods
from taizhang.stats import sectors as stats_sectors
from taizhang.study import courses
from taizhang.study.models import GroupViewing
from taizhang.testing import PASSWORD, SYSTEM, LedgerTestCase, build_ledger, build_small_ningbo

ORGS = ("city", "haishu", "jiangbei", "shiqi", "xinlian", "branch", "cicheng", "wangjia")
LEADERSHIP = {"city", "haishu", "jiangbei", "shiqi", "cicheng"}
# (org moved, new parent): towns between districts, villages between towns.
ORG_MOVES = (
    ("shiqi", "jiangbei"),
    ("shiqi", "haishu"),
    ("xinlian", "cicheng"),
    ("xinlian", "shiqi"),
    ("wangjia", "shiqi"),
)
RECLASSIFICATIONS = (
    ("xinlian", {"kind": OrgKind.COMMUNITY}),
    ("xinlian", {"kind": OrgKind.VILLAGE}),
    ("branch", {"active": False}),
    ("branch", {"active": True}),
)
BATCH_2 = datetime.date(2019, 9, 1)


def counted_records():
    """(org, kind id, day, {field: number}) of every record the totals count: the ledger's
    activities and the records of every source (problems, commitments, visits, receipts…)."""
    for a in Activity.objects.select_related("org"):
        yield a.org, a.kind_id, a.starts_on, {f: getattr(a, f) for f in NUMBER_FIELDS}
    kinds = dict(((k.campaign_id, k.source), k.pk) for k in ActivityKind.objects.exclude(source=""))
    for code, source in SOURCES.items():
        for record in source.records():
            for campaign_id, org, day, values in source.counts(record):
                if (campaign_id, code) in kinds:
                    yield org, kinds[(campaign_id, code)], day, values


def expected_totals():
    """{(org id, kind id, day, own): [records, number fields…]} from the records alone."""
    out = defaultdict(lambda: [0] * (1 + len(NUMBER_FIELDS)))
    paths = dict(Org.objects.values_list("path", "id"))
    for org, kind_id, day, values in counted_records():
        numbers = [1] + [values.get(f) or 0 for f in NUMBER_FIELDS]
        keys = [(org.pk, kind_id, day, True)]
        keys += [(paths[p], kind_id, day, False) for p in org.ancestor_paths()]
        for key in keys:
            out[key] = [x + y for x, y in zip(out[key], numbers, strict=True)]
    return dict(out)


def kept_totals():
    return {
        (t.org_id, t.kind_id, t.day, t.own): [t.records] + [getattr(t, f) for f in NUMBER_FIELDS]
        for t in Total.objects.all()
    }


def expected_kind_totals():
    out = defaultdict(lambda: [0] * (1 + len(NUMBER_FIELDS)))
    for (org_id, kind_id, _day, own), values in expected_totals().items():
        key = (org_id, kind_id, own)
        out[key] = [x + y for x, y in zip(out[key], values, strict=True)]
    return dict(out)


def kept_kind_totals():
    return {
        (t.org_id, t.kind_id, t.own): [t.records] + [getattr(t, f) for f in NUMBER_FIELDS]
        for t in KindTotal.objects.all()
    }


def expected_reach_counts():
    """{(org id, kind id, org kind, day): how many active orgs in the subtree had their first
    record of the kind that day}."""
    orgs = {o.pk: o for o in Org.objects.all()}
    paths = {o.path: o.pk for o in orgs.values()}
    out = defaultdict(int)
    for (org_id, kind_id), (_n, first, _last) in expected_reach().items():
        org = orgs[org_id]
        if not org.active:
            continue
        for target in (org_id, *(paths[p] for p in org.ancestor_paths())):
            out[(target, kind_id, org.kind, first)] += 1
    return dict(out)


def kept_reach_counts():
    return {(r.org_id, r.kind_id, r.org_kind, r.day): r.orgs for r in ReachCount.objects.all()}


def expected_subtree_counts():
    orgs = list(Org.objects.all())
    ids = {o.path: o.pk for o in orgs}
    out = defaultdict(int)
    for org in orgs:
        if org.active:
            for path in (*org.ancestor_paths(), org.path):
                out[(ids[path], org.kind)] += 1
    return dict(out)


def kept_subtree_counts():
    return {(c.org_id, c.kind): c.orgs for c in SubtreeCount.objects.all()}


def assert_totals_kept(test):
    test.assertEqual(kept_subtree_counts(), expected_subtree_counts())
    test.assertEqual(kept_totals(), expected_totals())
    test.assertEqual(kept_kind_totals(), expected_kind_totals())
    test.assertEqual(kept_reach(), expected_reach())
    test.assertEqual(kept_month_reach(), expected_month_reach())
    test.assertEqual(kept_month_counts(), expected_month_counts())
    test.assertEqual(kept_venue_counts(), expected_venue_counts())
    test.assertEqual(kept_reach_counts(), expected_reach_counts())
    assert_sectors_kept(test)


def summed_over_members(rows):
    """{(sector id, *key): value} summing the org rows `rows` ({(org id, *key): value}) over
    each sector's current members: what a sector's kept rows must hold."""
    members = defaultdict(list)
    for org_id, sector_id in SectorMember.objects.current().values_list("org_id", "sector_id"):
        members[org_id].append(sector_id)
    out = {}
    for (org_id, *key), value in rows.items():
        for sector_id in members[org_id]:
            k = (sector_id, *key)
            if isinstance(value, list):
                out[k] = [a + b for a, b in zip(out.get(k, [0] * len(value)), value, strict=True)]
            else:
                out[k] = out.get(k, 0) + value
    return {k: v for k, v in out.items() if (v[0] if isinstance(v, list) else v)}


def assert_sector_figures_are_their_members(test, campaign):
    """Every metric's figure of each sector, read from its kept totals, equals the one
    pooled from its members' own subtree figures; a count or sum, a venue count and a
    coverage's orgs are the plain sums of the members' figures."""
    metrics = list(campaign.metrics.select_related("kind", "campaign"))
    root = Org.objects.get_first_root_node()
    for sector in Sector.objects.all():
        whole = stats_sectors.subject(sector)
        pooled = stats_sectors.Subject(sector, root, whole.parts)
        for period in (periods.whole(campaign), periods.parse(campaign, "month-2019-09")):
            kept = stats_sectors.figures_of(metrics, whole, period)
            test.assertEqual(kept, stats_sectors.figures_of(metrics, pooled, period))
            each = stats_figures.figures(metrics, whole.parts, period) if whole.parts else {}
            for m in metrics:
                if m.aggregate in (Aggregate.AVERAGE_PER_ORG, Aggregate.PER_DAY):
                    continue
                found = [each[p.pk][m.code] for p in whole.parts]
                if m.aggregate not in stats_figures.PER_ORG:
                    test.assertEqual(kept[m.code].value, sum(f.value for f in found), m.code)
                else:
                    test.assertEqual(
                        (kept[m.code].covered, kept[m.code].eligible),
                        (sum(f.covered for f in found), sum(f.eligible for f in found)),
                    )


def _numbers(row):
    return [row.records] + [getattr(row, f) for f in NUMBER_FIELDS]


def assert_sectors_kept(test):
    """Each sector's kept totals and counts are the sums of its current members' expected
    ones, computed from the records and the tree alone."""
    for kept, expected in (
        (
            {(t.sector_id, t.kind_id, t.day, t.own): _numbers(t) for t in SectorTotal.objects.all()},
            expected_totals(),
        ),
        (
            {(t.sector_id, t.kind_id, t.own): _numbers(t) for t in SectorKindTotal.objects.all()},
            expected_kind_totals(),
        ),
        (
            {(c.sector_id, c.kind_id, c.org_kind, c.day): c.orgs
             for c in SectorReachCount.objects.all()},
            expected_reach_counts(),
        ),
        (
            {(c.sector_id, c.kind_id, c.org_kind, c.month): c.orgs
             for c in SectorMonthReachCount.objects.all()},
            expected_month_counts(),
        ),
        (
            {(c.sector_id, c.kind, c.tier): c.venues for c in SectorVenueCount.objects.all()},
            expected_venue_counts(),
        ),
        (
            {(c.sector_id, c.kind): c.orgs for c in SectorCount.objects.all()},
            expected_subtree_counts(),
        ),
    ):  # fmt: skip
        test.assertEqual(kept, summed_over_members(expected))


def _records_by_org():
    return [(org.pk, kind_id, day) for org, kind_id, day, _v in counted_records()]


def expected_reach():
    out = {}
    for org_id, kind_id, day in _records_by_org():
        n, first, last = out.get((org_id, kind_id), (0, day, day))
        out[(org_id, kind_id)] = (n + 1, min(first, day), max(last, day))
    return out


def kept_reach():
    return {(r.org_id, r.kind_id): (r.records, r.first_on, r.last_on) for r in Reach.objects.all()}


def expected_month_reach():
    out = {}
    for org_id, kind_id, day in _records_by_org():
        key = (org_id, kind_id, day.replace(day=1))
        n, first, last = out.get(key, (0, day, day))
        out[key] = (n + 1, min(first, day), max(last, day))
    return out


def expected_month_counts():
    """{(org, kind, org kind, month): active orgs of that kind in the subtree with a record
    of the kind that month}, from the records and the tree."""
    ids = dict(Org.objects.values_list("path", "id"))
    out = defaultdict(int)
    for org_id, kind_id, month in {key for key in expected_month_reach()}:
        org = Org.objects.get(pk=org_id)
        if not org.active:
            continue
        for path in (*org.ancestor_paths(), org.path):
            out[(ids[path], kind_id, org.kind, month)] += 1
    return dict(out)


def kept_month_counts():
    return {
        (c.org_id, c.kind_id, c.org_kind, c.month): c.orgs for c in MonthReachCount.objects.all()
    }


def expected_venue_counts():
    ids = dict(Org.objects.values_list("path", "id"))
    out = defaultdict(int)
    for venue in Venue.objects.filter(active=True).select_related("owner"):
        for path in (*venue.owner.ancestor_paths(), venue.owner.path):
            out[(ids[path], venue.kind, venue.tier)] += 1
    return dict(out)


def kept_venue_counts():
    return {(c.org_id, c.kind, c.tier): c.venues for c in VenueCount.objects.all()}


def kept_month_reach():
    return {
        (r.org_id, r.kind_id, r.month): (r.records, r.first_on, r.last_on)
        for r in MonthReach.objects.all()
    }


operations = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(ORGS),
        st.sampled_from(["party_lecture", "study_session", "field_visit"]),
        st.integers(0, 150),
        st.integers(1, 9),
    ),
    st.tuples(st.just("edit"), st.integers(0, 50), st.integers(0, 150), st.integers(1, 9)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(ORGS)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(
        st.just("import"),
        st.lists(st.tuples(st.sampled_from(ORGS), st.integers(0, 150)), min_size=1, max_size=5),
    ),
    # A record carrying the maximum of every number it records.
    st.tuples(
        st.just("create_max"),
        st.sampled_from(ORGS),
        st.sampled_from(["party_lecture", "study_session", "field_visit"]),
        st.integers(0, 150),
    ),
    st.tuples(st.just("move_org"), st.sampled_from(ORG_MOVES)),
    # A village becomes a community, or a branch is deactivated and back.
    st.tuples(st.just("reclassify"), st.sampled_from(RECLASSIFICATIONS)),
    # The office's records, counted through their sources: a commitment published or
    # withdrawn, a supervision visit with findings, a finding put on the problem list (and
    # closed off), a visit taken out, a notice sent and a receipt answered.
    st.tuples(st.just("commitment"), st.sampled_from(sorted(LEADERSHIP)), st.integers(0, 150)),
    st.tuples(st.just("visit"), st.sampled_from(ORGS[1:]), st.integers(0, 150), st.integers(0, 3)),
    st.tuples(st.just("visit_delete"), st.integers(0, 50)),
    st.tuples(st.just("finding_problem"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("notice"), st.lists(st.sampled_from(ORGS[1:]), min_size=1, max_size=4)),
    st.tuples(st.just("reply"), st.integers(0, 50)),
    # The course library: a unit's group viewing recorded or removed, a user's viewing.
    st.tuples(st.just("group_viewing"), st.sampled_from(ORGS), st.integers(0, 150)),
    st.tuples(st.just("group_viewing_remove"), st.integers(0, 50)),
    st.tuples(st.just("viewing"), st.sampled_from(["alice", "hank", "bob", "carol", "vera"])),
    # Sector systems: an org joins or leaves one (a join or a move that would nest two
    # members of one system is refused and changes nothing).
    st.tuples(st.just("join"), st.sampled_from(["edu", "health"]), st.sampled_from(ORGS[1:])),
    st.tuples(st.just("leave"), st.integers(0, 50)),
)


class TotalsPropertyTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_ningbo(cls)
        build_ledger(cls)
        cls.group = supervision.create_group(
            SYSTEM, campaign=cls.campaign, org=cls.city, name="市委第一督导组", leader=cls.zhang,
            units=[getattr(cls, name) for name in ORGS[1:]], assigned_on=cls.campaign.starts_on,
        )  # fmt: skip
        cls.course = courses.publish(
            SYSTEM, campaign=cls.campaign, org=cls.city, title="名师微课", series="名师微课",
            upload=SimpleUploadedFile("talk.wav", wav(1)),
        )  # fmt: skip
        cls.sectors = {
            "edu": sectors.create_sector(SYSTEM, code="EDU", name="教育系统", department=cls.city),
            "health": sectors.create_sector(
                SYSTEM, code="HEALTH", name="卫健系统", department=cls.haishu
            ),
        }
        sectors.join(SYSTEM, cls.sectors["edu"], cls.xinlian)
        sectors.join(SYSTEM, cls.sectors["edu"], cls.wangjia)
        sectors.join(SYSTEM, cls.sectors["health"], cls.shiqi)

    def org(self, name):
        return Org.objects.get(pk=getattr(self, name).pk)  # fresh: paths change on moves

    def values_for(self, kind_code, day, count, maximum=False):
        if maximum:
            values = self.values_for(kind_code, day, 1)
            values.update({f: NUMBER_MAXIMA[f] for f in values if f in NUMBER_MAXIMA})
            return values
        values = {"starts_on": BATCH_2 + datetime.timedelta(days=day), "count": count}
        if kind_code == "party_lecture":
            values.update(lecturer_role="member", participants=count * 10)
        elif kind_code == "study_session":
            values.update(days=count, person_times=count * 7)
        else:
            values.update(households=count * 3)
        return values

    def apply(self, op):
        kinds = self.kinds
        existing = list(Activity.objects.order_by("id"))
        name = op[0]
        if name in ("create", "create_max"):
            org_name, kind_code, day = op[1:4]
            count = op[4] if name == "create" else 1
            if org_name not in LEADERSHIP:
                kind_code = "party_lecture"
            services.create_activity(
                SYSTEM,
                kind=kinds[kind_code],
                org=self.org(org_name),
                **self.values_for(kind_code, day, count, maximum=name == "create_max"),
            )
        elif name == "edit" and existing:
            _, which, day, count = op
            activity = existing[which % len(existing)]
            services.update_activity(
                SYSTEM,
                activity,
                starts_on=BATCH_2 + datetime.timedelta(days=day),
                ends_on=BATCH_2 + datetime.timedelta(days=day),
                count=count,
            )
        elif name == "move" and existing:
            _, which, org_name = op
            activity = existing[which % len(existing)]
            if activity.kind.code == "party_lecture" or org_name in LEADERSHIP:
                services.update_activity(SYSTEM, activity, org=self.org(org_name))
        elif name == "delete" and existing:
            services.delete_activity(SYSTEM, existing[op[1] % len(existing)])
        elif name == "import":
            campaign = self.campaign
            batches = list(campaign.batches.all())
            records = []
            for org_name, day in op[1]:
                clean, errors = rules.check(
                    kinds["party_lecture"],
                    self.org(org_name),
                    self.values_for("party_lecture", day, 2),
                    campaign=campaign,
                    batches=batches,
                    scope=Scope.of(None),
                )
                assert not errors, errors
                records.append(clean)
            services.add_checked(SYSTEM, records, source=Source.IMPORT)
        elif name == "move_org":
            moved, parent = op[1]
            with suppress(ValidationError):  # two members of one system would nest
                org_services.move_org(SYSTEM, self.org(moved), self.org(parent))
        elif name == "reclassify":
            org_name, fields = op[1]
            org_services.update_org(SYSTEM, self.org(org_name), **fields)
        else:
            self.apply_office(op)

    def apply_office(self, op):
        name, day = op[0], None
        if name == "commitment":
            org = self.org(op[1])
            kept = Commitment.objects.filter(org=org).first()
            if kept:
                commitments.withdraw(SYSTEM, kept)
            else:
                commitments.publish(
                    SYSTEM, campaign=self.campaign, org=org, title="公开承诺",
                    published_on=BATCH_2 + datetime.timedelta(days=op[2]), items=[("", "带头")],
                )  # fmt: skip
        elif name == "visit":
            day = BATCH_2 + datetime.timedelta(days=op[2])
            supervision.record_visit(
                SYSTEM, group=self.group, unit=self.org(op[1]), visited_on=day, checked="台账",
                findings=[f"问题{i}" for i in range(op[3])],
            )  # fmt: skip
        elif name == "visit_delete":
            visits = list(SupervisionVisit.objects.order_by("id"))
            visit = visits[op[1] % len(visits)] if visits else None
            if visit and not visit.findings.filter(problem__isnull=False).exists():
                supervision.delete_visit(SYSTEM, visit)
        elif name == "finding_problem":
            findings = list(Finding.objects.filter(problem__isnull=True).order_by("id"))
            if findings:
                finding = findings[op[1] % len(findings)]
                problem = supervision.raise_problem(
                    SYSTEM, finding, deadline=finding.visit.visited_on + datetime.timedelta(30)
                )
                if op[2]:
                    problem = problems.start(SYSTEM, problem)
                    problem = problems.resolve(SYSTEM, problem, resolution="整改",
                                               on=problem.raised_on)  # fmt: skip
                    problems.close(SYSTEM, problem, on=problem.raised_on)
        elif name == "notice":
            notices.send(
                SYSTEM, campaign=self.campaign, sender=self.org("city"), title="通知", body="请报送",
                deadline=datetime.date.today(), orgs=[self.org(n) for n in op[1]],
            )  # fmt: skip
        elif name == "reply":
            waiting = list(Receipt.objects.filter(replied_at__isnull=True).order_by("id"))
            if waiting:
                notices.reply(SYSTEM, waiting[op[1] % len(waiting)], text="已办")
        elif name == "group_viewing":
            courses.record_group_viewing(
                SYSTEM, course=self.course, org=self.org(op[1]),
                viewed_on=BATCH_2 + datetime.timedelta(days=op[2]), person_times=op[2] + 1,
            )  # fmt: skip
        elif name == "group_viewing_remove":
            kept = list(GroupViewing.objects.order_by("id"))
            if kept:
                courses.remove_group_viewing(SYSTEM, kept[op[1] % len(kept)])
        elif name == "viewing":
            user = User.objects.get(username=op[1])
            courses.watched(SYSTEM.__class__(user=user), self.course, position=1, duration=1)
        elif name == "join":
            with suppress(ValidationError):  # already a member, or in one line with one
                sectors.join(SYSTEM, self.sectors[op[1]], self.org(op[2]))
        elif name == "leave":
            current = list(SectorMember.objects.current().order_by("id"))
            if current:
                sectors.leave(SYSTEM, current[op[1] % len(current)])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operations, min_size=1, max_size=12))
    def test_totals_equal_the_records_after_any_sequence_of_writes(self, ops):
        for op in ops:
            self.apply(op)
        assert_totals_kept(self)
        self.assertEqual(totals.rebuild_everything(check=True)["drift"], 0)
        assert_sector_figures_are_their_members(self, self.campaign)
        # Records at the numeric maxima break no dashboard.
        self.client.force_login(self.alice)
        for period in ("", "month-2019-09", "week-2019-W37", "batch-2"):
            url = f"/stats/orgs/{self.city.pk}/?period={period}"
            self.assertEqual(self.client.get(url).status_code, 200, url)


class RebuildTests(LedgerTestCase):
    def run_command(self, *args):
        out = io.StringIO()
        call_command("stats", "rebuild", *args, stdout=out)
        return out.getvalue()

    def test_it_reports_no_drift_when_the_totals_were_kept(self):
        output = self.run_command("--check")
        self.assertIn("drift: 0 rows", output)

    def test_it_finds_and_repairs_tampered_totals(self):
        Total.objects.filter(org=self.city).update(records=99)
        Reach.objects.filter(org=self.xinlian).delete()
        MonthReach.objects.filter(org=self.xinlian).update(records=5)
        MonthReachCount.objects.filter(org=self.haishu).update(orgs=3)
        KindTotal.objects.filter(org=self.haishu).delete()
        ReachCount.objects.filter(org=self.city).update(orgs=7)
        SubtreeCount.objects.filter(org=self.shiqi).delete()
        with self.assertRaises(CommandError):
            self.run_command("--check")
        self.assertTrue(Total.objects.filter(org=self.city, records=99).exists())  # kept as is
        output = self.run_command()
        self.assertNotIn("drift: 0 rows", output)
        assert_totals_kept(self)
        self.assertIn("drift: 0 rows", self.run_command("--check"))

    def test_a_rebuild_runs_in_the_background_for_a_superuser(self):
        root = User.objects.create_superuser("root", password=PASSWORD)
        with self.assertRaises(CommandError):  # a job belongs to someone who may run it
            self.run_command("--background", "--user", self.alice.username)
        Total.objects.filter(org=self.city).update(records=99)
        output = self.run_command("--check", "--background", "--user", "root")
        job = Job.objects.get()
        self.assertIn(f"/jobs/{job.pk}/", output)
        self.assertEqual(run_job(job.pk), JobState.SUCCEEDED)
        job.refresh_from_db()
        self.assertGreater(job.result["drift"], 0)
        self.assertTrue(Total.objects.filter(org=self.city, records=99).exists())  # only checked
        self.run_command("--background", "--user", "root")
        repair = Job.objects.exclude(pk=job.pk).get()
        self.assertEqual(run_job(repair.pk), JobState.SUCCEEDED)
        assert_totals_kept(self)
        self.client.force_login(root)
        page = self.client.get(reverse("jobs:detail", args=[repair.pk]))
        self.assertContains(page, "偏差：")
        self.assertEqual(run_job(repair.pk), "skipped")

    def test_a_record_counts_on_its_org_and_each_ancestor_once(self):
        day = self.lecture.starts_on
        kind = self.kinds["party_lecture"]
        rows = Total.objects.filter(kind=kind, day=day)
        self.assertEqual(
            sorted((r.org.code, r.own, r.records, r.participants) for r in rows),
            sorted(
                [
                    (self.xinlian.code, True, 1, 35),
                    (self.shiqi.code, False, 1, 35),
                    (self.haishu.code, False, 1, 35),
                    (self.city.code, False, 1, 35),
                ]
            ),
        )

    def test_venue_counts_follow_every_venue_written_and_every_org_moved(self):
        station = services.create_venue(
            SYSTEM, code="DS001", name="新联村远教站点", kind=VenueKind.DISTANCE_STATION,
            tier=VenueTier.VILLAGE, owner=self.xinlian,
        )  # fmt: skip
        assert_totals_kept(self)
        self.assertEqual(
            VenueCount.objects.get(org=self.city, kind=VenueKind.DISTANCE_STATION).venues, 1
        )
        services.update_venue(SYSTEM, station, kind=VenueKind.SERVICE_CENTRE)
        assert_totals_kept(self)
        org_services.move_org(
            SYSTEM, Org.objects.get(pk=self.shiqi.pk), Org.objects.get(pk=self.jiangbei.pk)
        )
        assert_totals_kept(self)
        services.update_venue(SYSTEM, station, owner=Org.objects.get(pk=self.haishu.pk))
        assert_totals_kept(self)
        services.update_venue(SYSTEM, station, active=False)
        assert_totals_kept(self)
        self.assertFalse(VenueCount.objects.filter(kind=VenueKind.SERVICE_CENTRE).exists())
        self.assertIn("drift: 0 rows", self.run_command("--check"))

    def test_deleting_the_last_record_of_a_day_leaves_no_empty_rows(self):
        services.delete_activity(SYSTEM, self.lecture)
        self.assertFalse(Total.objects.filter(day=self.lecture.starts_on).exists())
        self.assertFalse(Reach.objects.filter(org=self.xinlian).exists())
        self.assertEqual(totals.rebuild()["drift"], 0)
