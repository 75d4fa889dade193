"""The Ningbo campaign's study records: role models, reading classes and required reading,
written by the city's duties (`duties.CityDuties`) through the study services."""

import datetime

from taizhang.demo.records import READING_TOPICS, allot
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Person, Rank
from taizhang.study import services as study

FIGURES = {
    "reading_cadres": 1004,  # [9] in 4 sessions [8] on 8 topics [10]
    "role_models": 7,  # [21]
}
VILLAGES = (OrgKind.VILLAGE, OrgKind.COMMUNITY)
ROLE_MODELS = [
    ("person", "扎根海岛三十年的村党组织书记", "带领村民发展海水养殖，村集体经济收入翻两番。"),
    ("org", "“红色管家”社区党组织", "组建党员志愿服务队，把老旧小区治理难题化解在楼道。"),
    ("person", "抗台一线的党员突击队长", "台风“利奇马”来袭时连续奋战七十二小时转移群众。"),
    ("org", "“三服务”先锋村党组织", "首创民情夜访，三年办结群众诉求一千余件。"),
    ("person", "潜心非遗传承的老党员", "义务传授传统技艺，带出徒弟两百余名。"),
    ("person", "服务企业的“店小二”干部", "驻企服务两年，帮助企业解决用地用工难题四十余个。"),
    ("org", "“初心讲堂”宣讲团党支部", "深入村社开展宣讲三百余场，受众三万余人次。"),
]


class StudyRecords:
    """What the city's duties write of study; needs the duties' campaign, city, orgs,
    people and random source."""

    def role_models(self):
        """7 role models [21], presented by the city."""
        secretaries = list(
            Person.objects.filter(
                org__path__startswith=self.city.path, org__kind__in=VILLAGES
            ).order_by("code")[:50]
        )
        places = [o for o in self.orgs if o.kind in VILLAGES][:50]
        for n, (what, title, story) in enumerate(ROLE_MODELS[: FIGURES["role_models"]]):
            subject = (
                {"person": self.rng.choice(secretaries)}
                if what == "person"
                else {"honoured_org": self.rng.choice(places)}
            )
            study.present_role_model(
                self.actor,
                campaign=self.campaign,
                org=self.city,
                title=title,
                story=story,
                shared_on=datetime.date(2019, 7, 1) + datetime.timedelta(days=20 * n),
                **subject,
            )

    def reading(self):
        """Four reading class sessions in two batches, 1,004 city-managed cadres, two of the
        eight topics each [8–10]; the cadres of the districts' and units' teams are the
        trainees, with more of the units' middle-level cadres to make up the number. Every
        trainee has read the required titles; a few have not finished the list."""
        pool = list(
            Person.objects.focus_group()
            .filter(
                org__path__startswith=self.city.path,
                org__kind__in=[OrgKind.DISTRICT, OrgKind.DEV_ZONE, OrgKind.CITY_UNIT],
            )
            .select_related("org")
            .order_by("code")
        )
        wanted = FIGURES["reading_cadres"] - len(pool)
        if wanted > 0:
            units = self.by_kind[OrgKind.CITY_UNIT]
            prefix = f"R{self.index:02d}"
            people = [
                Person(
                    code=f"{prefix}{n:05d}",
                    org=units[n % len(units)],
                    name=f"学员{n + 1:04d}",
                    title="市直单位处级领导干部",
                    rank=Rank.COUNTY,
                    is_party_member=True,
                )
                for n in range(wanted)
            ]
            orgs.bulk_create_people(self.actor, people)
            pool += list(Person.objects.filter(code__startswith=prefix).select_related("org"))
        pool = pool[: FIGURES["reading_cadres"]]
        self.rng.shuffle(pool)
        sizes = allot(len(pool), [1] * 4, self.rng, minimum=200)
        batches = list(self.campaign.batches.order_by("number"))
        start = 0
        for n, size in enumerate(sizes):
            batch = batches[n // 2] if len(batches) > 1 else batches[0]
            first = batch.starts_on + datetime.timedelta(days=10 + 20 * (n % 2))
            study.hold_reading_class(
                self.actor,
                campaign=self.campaign,
                org=self.city,
                number=n + 1,
                name=f"市管领导干部专题读书班第{'一二三四'[n]}期",
                starts_on=first,
                ends_on=first + datetime.timedelta(days=4),
                topics=READING_TOPICS[n * 2 : n * 2 + 2],
                trainees=pool[start : start + size],
            )
            start += size
        titles = list(self.campaign.readings.all())
        entries = []
        for person in self.standing_committee + pool:
            read = titles if self.rng.random() < 0.9 else titles[: len(titles) - 1]
            for title in read:
                entries.append(
                    {
                        "person": person,
                        "reading": title,
                        "finished_on": self.day(
                            datetime.date(2019, 6, 10), datetime.date(2019, 11, 30)
                        ),
                        "notes": "撰写读书笔记一篇。",
                    }
                )
        study.record_readings(self.actor, entries)
