"""The demo's course library: a 红色故事汇 recording, a 名师微课 handout and, where ffmpeg
is installed, a short video, all made here (demo/media.py); and towns' group viewings."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.demo import media
from taizhang.orgs.models import OrgKind
from taizhang.study import courses

HANDOUT = [
    "第一讲　守初心：从张人亚守护党章说起",
    "第二讲　担使命：“三服务”送到家做到位抓到底",
    "第三讲　找差距：对照党章党规检视问题",
    "第四讲　抓落实：领题破难、整改销号",
]


def build(actor, campaign, city, by_kind, index):
    rng = random.Random(2019_700 + index)
    start = campaign.starts_on
    made = [
        courses.publish(
            actor, campaign=campaign, org=city, title="张人亚守护党章的故事", series="红色故事汇",
            upload=SimpleUploadedFile("zhangrenya.wav", media.wav(seconds=6)),
            lecturer="市委党史研究室", required=True, published_on=start + datetime.timedelta(7),
            description="讲述张人亚烈士的父亲为守护党章衣冠冢藏书的故事（演示用的合成音频）。",
        ),
        courses.publish(
            actor, campaign=campaign, org=city, title="主题教育名师微课讲义", series="名师微课",
            upload=SimpleUploadedFile(
                "mingshi-weike.pdf", media.pdf("名师微课：不忘初心、牢记使命", HANDOUT)
            ),
            lecturer="市委党校", published_on=start + datetime.timedelta(14),
        ),
    ]  # fmt: skip
    video = media.webm()
    if video is not None:
        made.append(
            courses.publish(
                actor,
                campaign=campaign,
                org=city,
                title="红色故事汇：四明山革命老区",
                series="红色故事汇",
                upload=SimpleUploadedFile("siming.webm", video),
                lecturer="市委宣传部",
                published_on=start + datetime.timedelta(21),
            )  # fmt: skip
        )
    towns = by_kind[OrgKind.TOWN]
    for town in rng.sample(towns, min(len(towns), 40)):
        course = rng.choice(made)
        courses.record_group_viewing(
            actor, course=course, org=town,
            viewed_on=start + datetime.timedelta(days=rng.randint(20, 150)),
            person_times=rng.randint(20, 120),
        )  # fmt: skip
