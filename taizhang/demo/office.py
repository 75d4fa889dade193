"""The office's levers in the demo: the standing committee's "五个始终、六个带头" commitment
and most districts' commitments, each with evidence linked; the city's supervision groups
visiting the districts, zones and city-level units, their findings partly on the problem
list; and notices from the city office with their receipts, some late or unanswered.

The seed names the commitment but not its wording: the items below are the demo's own."""

import datetime
import random

from django.utils import timezone

from taizhang.ledger.models import Activity
from taizhang.office.models import Receipt
from taizhang.office.services import commitments, notices, supervision
from taizhang.orgs.models import OrgKind, Person
from taizhang.research.models import Problem, ProblemState, ResearchTopic
from taizhang.research.services import problems

STANDING_ITEMS = [
    ("五个始终", "始终坚持用习近平新时代中国特色社会主义思想武装头脑、指导实践"),
    ("五个始终", "始终坚持以人民为中心，把群众满意作为检验标准"),
    ("五个始终", "始终坚持问题导向，把解决实际问题贯穿始终"),
    ("五个始终", "始终坚持严的主基调，落实管党治党责任"),
    ("五个始终", "始终坚持真抓实干，以上率下推动工作落实"),
    ("六个带头", "带头学习研讨"),
    ("六个带头", "带头调查研究"),
    ("六个带头", "带头检视问题"),
    ("六个带头", "带头整改落实"),
    ("六个带头", "带头讲专题党课"),
    ("六个带头", "带头开好专题民主生活会"),
]
DISTRICT_ITEMS = [
    "带头学习研讨，读原著学原文悟原理",
    "带头到联系乡镇（街道）蹲点调研",
    "带头检视问题，列出问题清单逐项整改",
    "带头为群众办实事、解难题",
    "带头讲专题党课",
]
CHECKS = [
    "学习研讨记录和学习笔记",
    "专题党课台账",
    "调研报告和问题清单",
    "整改落实情况",
    "专题民主生活会准备情况",
]
FINDINGS = [
    "部分班子成员学习笔记批注较少",
    "调研报告“思考”部分较薄弱",
    "问题清单销号材料不完整",
    "专题党课覆盖基层支部不全",
    "整改措施时限不够明确",
    "学习研讨联系实际不够紧密",
]
NOTICES = [
    (
        "关于报送主题教育第一批进展情况的通知",
        "请各地各单位于期限内报送主题教育开展情况，重点说明集中学习研讨、调研和问题整改进展。",
        7,
    ),
    (
        "关于做好专题民主生活会准备工作的通知",
        "请各单位按要求做好专题民主生活会会前准备，报送会议方案。",
        10,
    ),
    ("关于报送问题整改清单的通知", "请于期限内报送问题清单及整改落实情况。", 5),
]


class OfficeRecords:
    def __init__(self, actor, campaign, city, by_kind, index):
        self.rng = random.Random(2019_600 + index)
        self.actor, self.campaign, self.city, self.by_kind = actor, campaign, city, by_kind

    def day(self, start, end):
        end = min(end, self.campaign.ends_on)
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def build(self):
        self.commitments()
        self.supervision()
        self.notices()

    def commitments(self):
        start = self.campaign.starts_on
        standing = commitments.publish(
            self.actor, campaign=self.campaign, org=self.city,
            title="市委常委会“五个始终、六个带头”公开承诺", published_on=start + datetime.timedelta(10),
            items=STANDING_ITEMS,
        )  # fmt: skip
        self.link_evidence(standing)
        districts = self.by_kind[OrgKind.DISTRICT]
        for district in districts[: max(len(districts) - 2, 1)]:  # most, not all
            commitment = commitments.publish(
                self.actor, campaign=self.campaign, org=district,
                title=f"{district.short_name or district.name}区（县、市）委常委会公开承诺".replace("区区", "区"),
                published_on=self.day(start + datetime.timedelta(10), start + datetime.timedelta(40)),
                items=[("", text) for text in DISTRICT_ITEMS],
            )  # fmt: skip
            self.link_evidence(commitment)

    def link_evidence(self, commitment):
        """Each item gets the team's records that fulfil it: study sessions, research
        topics, problems solved, lectures and life meetings."""
        org = commitment.org
        records = {
            "学习": list(Activity.objects.filter(org=org, kind__code="study_session")[:3]),
            "调研": list(ResearchTopic.objects.filter(org=org, campaign=self.campaign)[:3]),
            "问题": list(
                Problem.objects.filter(
                    org=org, state__in=[ProblemState.RESOLVED, ProblemState.CLOSED]
                )[:3]
            ),  # fmt: skip
            "党课": list(Activity.objects.filter(org=org, kind__code="party_lecture")[:2]),
            "民主生活会": list(Activity.objects.filter(org=org, kind__code="life_meeting")[:1]),
        }
        records["整改"] = records["问题"]
        records["难题"] = records["问题"]
        for item in commitment.items.all():
            for word, found in records.items():
                if word in item.text:
                    for record in found[:2]:
                        if not item.evidence.filter(**{_field(record): record}).exists():
                            commitments.link(self.actor, item, record)
                    break

    def supervision(self):
        units = (
            self.by_kind[OrgKind.DISTRICT]
            + self.by_kind[OrgKind.DEV_ZONE]
            + self.by_kind[OrgKind.CITY_UNIT][:20]
        )
        people = list(
            Person.objects.filter(org__in=self.by_kind[OrgKind.CITY_UNIT][:20]).order_by("code")
        )
        if not units or len(people) < 3:
            return
        start = self.campaign.starts_on
        groups = []
        for n in range(5):
            leader, *members = self.rng.sample(people, 3)
            groups.append(
                supervision.create_group(
                    self.actor, campaign=self.campaign, org=self.city,
                    name=f"市委主题教育第{'一二三四五'[n]}督导组",
                    kind="supervision" if n < 4 else "touring", leader=leader, members=members,
                    units=units[n::5], assigned_on=start + datetime.timedelta(5),
                )
            )  # fmt: skip
        for group in groups:
            for assignment in group.assignments.select_related("unit"):
                for _ in range(self.rng.choice((1, 2, 2, 2, 3))):
                    visited = self.day(
                        start + datetime.timedelta(15), start + datetime.timedelta(200)
                    )
                    visit = supervision.record_visit(
                        self.actor, group=group, unit=assignment.unit, visited_on=visited,
                        checked="、".join(self.rng.sample(CHECKS, 2)),
                        findings=self.rng.sample(FINDINGS, self.rng.randint(0, 3)),
                    )  # fmt: skip
                    for finding in visit.findings.all():
                        if self.rng.random() < 0.5:
                            self.finding_to_problem(finding, visited)

    def finding_to_problem(self, finding, visited):
        problem = supervision.raise_problem(
            self.actor, finding, deadline=visited + datetime.timedelta(days=30)
        )
        if self.rng.random() < 0.7:
            problem = problems.start(self.actor, problem)
            done = visited + datetime.timedelta(days=self.rng.randint(5, 25))
            problem = problems.resolve(self.actor, problem, resolution="已按督导意见整改", on=done)
            if self.rng.random() < 0.7:
                problems.close(self.actor, problem, on=done + datetime.timedelta(days=3))

    def notices(self):
        recipients = self.by_kind[OrgKind.DISTRICT] + self.by_kind[OrgKind.DEV_ZONE]
        if not recipients:
            return
        tz = timezone.get_current_timezone()
        for n, (title, body, days) in enumerate(NOTICES):
            sent = datetime.datetime.combine(
                self.campaign.starts_on + datetime.timedelta(30 + 60 * n), datetime.time(9), tz
            )
            notice = notices.send(
                self.actor, campaign=self.campaign, sender=self.city, title=title, body=body,
                deadline=(sent + datetime.timedelta(days=days)).date(), orgs=recipients,
                chosen_as="各区县（市）和开发园区", now=sent,
            )  # fmt: skip
            for receipt in notice.receipts.select_related("org", "notice"):
                self.answer(receipt, sent, days)
            if n == len(NOTICES) - 1:
                notices.remind(self.actor, notice, now=sent + datetime.timedelta(days=days - 1))

    def answer(self, receipt, sent, days):
        """Most reply on time, a few late, one or two not at all (read or not)."""
        roll = self.rng.random()
        read = sent + datetime.timedelta(hours=self.rng.randint(1, 30))
        if roll < 0.1:
            return
        Receipt.objects.filter(pk=receipt.pk).update(read_at=read)
        receipt.read_at = read
        if roll < 0.2:
            return
        late = roll > 0.9
        replied = read + datetime.timedelta(
            days=days + 2 if late else self.rng.randint(0, days - 1)
        )
        notices.reply(self.actor, receipt, text=f"{receipt.org.name}已按要求报送。", now=replied)


def _field(record):
    return {"Activity": "activity", "ResearchTopic": "topic", "Problem": "problem"}[
        type(record).__name__
    ]
