"""The problem list from Excel, with the ledger import's guarantees: the whole file is
checked before anything is written, every problem is reported by row and column, nothing is
written unless every row passes, and a row already on the list (same organisation, title
and day raised) is passed over, so the same file imported twice adds nothing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Actor
from taizhang.jobs.progress import NO_PROGRESS
from taizhang.ledger.imports import code_or_none, lookup_in_scope
from taizhang.orgs.models import Org, Person
from taizhang.research import services
from taizhang.research.models import RAISED_SOURCES, Problem, ProblemSource
from taizhang.xlsx import (
    ImportRejected,
    RowReader,
    bool_cell,
    build_workbook,
    choice_cell,
    date_cell,
    read_sheet,
    text_cell,
    zh_label,
)

HEADERS = [
    "标题",
    "问题描述",
    "来源",
    "责任单位代码",
    "牵头领导（人员编号）",
    "提出日期",
    "办结时限",
    "现场解决",
    "解决情况",
]
TITLE, DESCRIPTION, SOURCE, ORG, LEADER, RAISED, DEADLINE, ON_SPOT, RESOLUTION = range(9)


def template(user, campaign) -> bytes:
    sources = [zh_label(ProblemSource, s) for s in RAISED_SOURCES]
    example = [
        "老旧小区加装电梯协调难",
        "居民意见不一，资金分摊难以达成一致",
        sources[0],
        user.org.code if user.org_id else "",
        "",
        str(campaign.starts_on),
        str(campaign.ends_on),
        "否",
        "",
    ]
    instructions = [
        ["问题清单导入", campaign.name],
        ["标题", "必填，200 字以内"],
        ["来源", "必填：" + "、".join(sources)],
        ["责任单位代码", "必填，须在您的管理范围内"],
        ["牵头领导（人员编号）", "选填，须在您的管理范围内"],
        ["提出日期、办结时限", "必填，格式 2019-09-01；办结时限不早于提出日期"],
        ["现场解决", "是 或 否（默认否）；填“是”时须填写解决情况，问题直接记为已解决"],
        ["重复导入", "同一单位、同一标题、同一提出日期的问题已在清单上的，不再重复添加"],
        ["示例", " | ".join(example)],
    ]
    return build_workbook(
        "问题清单", HEADERS, [], choices={SOURCE: sources}, instructions=instructions
    )


def import_problems(actor: Actor, campaign, data: bytes, progress=NO_PROGRESS) -> dict:
    """Check and import a file; return {"created": n, "skipped": n, "rows": n}. Raises
    ImportRejected with every problem found, or PermissionDenied."""
    user = actor.user
    if user is not None and not user.can_record:
        raise PermissionDenied
    progress.stage("reading")
    sheet = read_sheet(data, HEADERS, settings.UPLOAD_MAX_BYTES)
    errors = []
    reader = RowReader(HEADERS, errors)
    orgs = lookup_in_scope(Org, user, {code_or_none(c[ORG]) for _n, c in sheet.rows})
    people = lookup_in_scope(Person, user, {code_or_none(c[LEADER]) for _n, c in sheet.rows})
    rows, seen = [], {}  # rows: (row number, cells, values)
    for number, cells in progress.rows(sheet.rows, errors):
        reader.start(number, cells)
        values = {
            "title": reader.read(TITLE, text_cell, required=True, max_length=200),
            "description": reader.read(DESCRIPTION, text_cell, max_length=2000),
            "source": reader.read(SOURCE, choice_cell, RAISED_SOURCES),
            "raised_on": reader.read(RAISED, date_cell, required=True),
            "deadline": reader.read(DEADLINE, date_cell, required=True),
            "solved_on_spot": reader.read(ON_SPOT, bool_cell, default=False),
            "resolution": reader.read(RESOLUTION, text_cell, max_length=2000),
        }
        code = reader.read(ORG, text_cell, required=True)
        values["org"] = orgs.get(code) if code else None
        if code and values["org"] is None:
            reader.fail(ORG, _("No organisation with this code in your scope."))
        leader = reader.read(LEADER, text_cell)
        values["leader"] = people.get(leader) if leader else None
        if leader and values["leader"] is None:
            reader.fail(LEADER, _("not found in your scope"))
        if not reader.ok:
            continue
        day = values["raised_on"]
        if not campaign.starts_on <= day <= campaign.ends_on:
            reader.fail(
                RAISED,
                _("outside the campaign (%(start)s to %(end)s)")
                % {
                    "start": campaign.starts_on,
                    "end": campaign.ends_on,
                },
            )
        if values["deadline"] < day:
            reader.fail(DEADLINE, _("earlier than the day the problem was raised"))
        if values["solved_on_spot"] and not values["resolution"]:
            reader.fail(RESOLUTION, _("A problem solved on the spot needs its resolution."))
        key = (values["org"].pk, values["title"], day)
        if key in seen:
            reader.fail(TITLE, _("the same problem as row %(row)s") % {"row": seen[key]})
        seen[key] = number
        if reader.ok:
            rows.append((number, cells, values))
    if errors:
        raise ImportRejected(errors)
    existing = set(
        Problem.objects.filter(
            campaign=campaign, org__in={v["org"].pk for _n, _c, v in rows}
        ).values_list("org_id", "title", "raised_on")
    )
    created = 0
    progress.stage("writing")
    with transaction.atomic():
        for index, (number, cells, values) in enumerate(rows, start=1):
            progress.count(written=index)
            if (values["org"].pk, values["title"], values["raised_on"]) in existing:
                continue
            try:
                services.raise_problem(actor, campaign=campaign, **values)
            except ValidationError as error:
                # Leaving the block rolls back every problem written before this row.
                reader.start(number, cells)
                for message in error.messages:
                    reader.fail(TITLE, message)
                raise ImportRejected(errors) from None
            created += 1
    return {"created": created, "skipped": len(rows) - created, "rows": len(sheet.rows)}
