"""Sector membership to and from Excel, like the org tree: the file is checked whole and
written in one transaction or not at all, and a row already true (a current member, a
membership ended on that day) changes nothing, so the same file twice adds nothing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Actor
from taizhang.jobs.progress import NO_PROGRESS
from taizhang.orgs import sectors
from taizhang.orgs.models import Org, Sector, SectorMember
from taizhang.orgs.scope import Scope
from taizhang.xlsx import (
    CellError,
    ImportRejected,
    RowReader,
    build_workbook,
    date_cell,
    read_sheet,
    text_cell,
)

HEADERS = ["系统代码", "组织编码", "组织名称", "加入日期", "退出日期"]


def member_rows(members):
    return [[m.sector.code, m.org.code, m.org.name, m.joined_on, m.left_on or ""] for m in members]


def export_members(members) -> bytes:
    return build_workbook("系统成员", HEADERS, member_rows(members), widths={2: 30})


def template() -> bytes:
    return build_workbook(
        "系统成员",
        HEADERS,
        [],
        widths={2: 30},
        instructions=[
            ["列", "说明"],
            ["系统代码", "必填：您管理的行业系统的代码（如 EDU）"],
            ["组织编码", "必填：您管理范围内的组织编码"],
            ["组织名称", "选填，仅供核对，导入时不读取"],
            ["加入日期", "选填，留空为今天；不能晚于今天"],
            ["退出日期", "选填：填写表示该组织于此日退出该系统；留空表示加入（已是成员则不变）"],
            ["规则", "同一系统的成员不能上下级嵌套（否则其下级的记录会被重复计数）"],
            ["示例", "EDU | 33020301 | 海曙区实验小学党总支 | 2019-06-01 |"],
            ["注意", "只保留一个数据工作表；不要使用公式；整表校验通过后才会写入"],
        ],
    )


def import_members(actor: Actor, data: bytes, progress=NO_PROGRESS) -> dict:
    """Joins and leaves from a file. Returns {created: joined, updated: left, unchanged}."""
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    progress.stage("reading")
    sheet = read_sheet(data, HEADERS, settings.UPLOAD_MAX_BYTES)
    errors = []
    reader = RowReader(sheet.headers, errors)
    rows, seen = [], {}
    for number, cells in progress.rows(sheet.rows, errors):
        reader.start(number, cells)
        row = {
            "number": number,
            "sector": reader.read(0, text_cell, required=True, max_length=40),
            "org": reader.read(1, text_cell, required=True, max_length=40),
            "joined_on": reader.read(3, date_cell),
            "left_on": reader.read(4, date_cell),
        }
        key = (row["sector"], row["org"])
        if reader.ok and key in seen:
            reader.fail(1, _("the same organisation and system are also on row %(row)s") % {
                "row": seen[key]
            })  # fmt: skip
        if reader.ok:
            seen[key] = number
            rows.append(row)
    scope = Scope.of(user)
    found_sectors = {
        s.code: s
        for s in Sector.objects.filter(code__in={r["sector"] for r in rows}).select_related(
            "department"
        )
        if sectors.may_manage(user, s)
    }
    found_orgs = {
        o.code: o
        for o in Org.objects.filter(scope.q_own("path"), code__in={r["org"] for r in rows})
    }
    for row in rows:
        if row["sector"] not in found_sectors:
            errors.append(
                _cell(row, 0, row["sector"], _("no system with this code that you manage"))
            )
        if row["org"] not in found_orgs:
            errors.append(
                _cell(row, 1, row["org"], _("no organisation with this code in your scope"))
            )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    progress.stage("writing")
    with transaction.atomic():
        for index, row in enumerate(rows, start=1):
            progress.count(written=index)
            sector, org = found_sectors[row["sector"]], found_orgs[row["org"]]
            try:
                counts[_apply(actor, sector, org, row)] += 1
            except ValidationError as error:
                errors.append(_cell(row, 1, row["org"], " ".join(error.messages)))
        if errors:
            raise ImportRejected(errors)
    return counts


def _apply(actor, sector, org, row):
    memberships = SectorMember.objects.filter(sector=sector, org=org)
    current = memberships.filter(left_on__isnull=True).select_related("sector", "org").first()
    if row["left_on"] is None:
        if current is not None:
            return "unchanged"
        sectors.join(actor, sector, org, row["joined_on"])
        return "created"
    if current is not None:
        sectors.leave(actor, current, row["left_on"])
        return "updated"
    if memberships.filter(left_on=row["left_on"]).exists():
        return "unchanged"
    raise ValidationError(_("%(org)s is not a member of %(sector)s.") % {
        "org": org.name, "sector": sector.name
    })  # fmt: skip


def _cell(row, column, value, problem):
    return CellError(row["number"], column + 1, HEADERS[column], value, problem)
