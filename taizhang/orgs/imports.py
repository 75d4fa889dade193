"""Org and people import/export (.xlsx). An import is checked whole before anything is
written, and writes nothing unless every row passes; rows equal to what is stored change
nothing, so importing the same file twice adds nothing the second time."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from taizhang.audit.services import Actor
from taizhang.jobs.progress import NO_PROGRESS
from taizhang.orgs import services
from taizhang.orgs.models import Org, OrgKind, Person, Rank
from taizhang.xlsx import (
    CellError,
    ImportRejected,
    RowReader,
    bool_cell,
    build_workbook,
    choice_cell,
    read_sheet,
    text_cell,
    zh_label,
)

ORG_HEADERS = ["编码", "名称", "简称", "类型", "上级编码或名称", "启用"]
PERSON_HEADERS = ["人员编号", "姓名", "所在组织编码", "职务", "职级", "党员", "在职"]


def _yes_no(value):
    return "是" if value else "否"


def _labels(choice_class):
    with translation.override("zh-hans"):
        return [str(c.label) for c in choice_class]


# Orgs


def org_rows(orgs):
    parents = {o.path: o.code for o in orgs}
    missing = {o.path[: -Org.steplen] for o in orgs if o.depth > 1} - set(parents)
    parents.update(dict(Org.objects.filter(path__in=missing).values_list("path", "code")))
    return [
        [
            o.code,
            o.name,
            o.short_name,
            zh_label(OrgKind, o.kind),
            parents.get(o.path[: -Org.steplen], ""),
            _yes_no(o.active),
        ]
        for o in orgs
    ]


def export_orgs(orgs) -> bytes:
    return build_workbook("组织", ORG_HEADERS, org_rows(orgs), widths={1: 30, 4: 18})


def org_template(user) -> bytes:
    return build_workbook(
        "组织",
        ORG_HEADERS,
        [],
        choices={3: _labels(OrgKind), 5: ["是", "否"]},
        widths={1: 30, 4: 18},
        instructions=[
            ["列", "说明"],
            ["编码", "必填，全系统唯一；已存在的编码表示修改该组织"],
            ["名称", "必填，最多100字"],
            ["简称", "选填，最多40字"],
            ["类型", "必填：" + "、".join(_labels(OrgKind))],
            [
                "上级编码或名称",
                f"必填，须在您的管理范围内（{user.org.name if user.org_id else '全部'}）；可填本表中前后任一行的编码",
            ],
            ["启用", "是 / 否，留空为是"],
            ["示例", "330203001 | 石碶街道 | 石碶 | 镇乡街道 | 330203 | 是"],
            ["注意", "只保留一个数据工作表；不要使用公式；整表校验通过后才会写入"],
        ],
    )


def import_orgs(actor: Actor, data: bytes, progress=NO_PROGRESS) -> dict:
    """Create or update orgs from a file. Returns counts {created, updated, unchanged}."""
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    progress.stage("reading")
    sheet = read_sheet(data, ORG_HEADERS, settings.UPLOAD_MAX_BYTES)
    errors = []
    reader = RowReader(sheet.headers, errors)
    parsed = []
    seen_codes = {}
    for number, cells in progress.rows(sheet.rows, errors):
        reader.start(number, cells)
        row = {
            "number": number,
            "code": reader.read(0, text_cell, required=True, max_length=40),
            "name": reader.read(1, text_cell, required=True, max_length=100),
            "short_name": reader.read(2, text_cell, max_length=40),
            "kind": reader.read(3, choice_cell, OrgKind),
            "parent": reader.read(4, text_cell, required=True, max_length=100),
            "active": reader.read(5, bool_cell),
        }
        if row["code"]:
            if row["code"] in seen_codes:
                reader.fail(
                    0, _("duplicate code: also on row %(row)s") % {"row": seen_codes[row["code"]]}
                )
            else:
                seen_codes[row["code"]] = number
        if reader.ok:
            parsed.append(row)

    visible = Org.objects.visible_to(user) if user is not None else Org.objects.all()
    existing = {o.code: o for o in Org.objects.filter(code__in=list(seen_codes))}
    for row in parsed:
        org = existing.get(row["code"])
        if org is not None and not visible.filter(pk=org.pk).exists():
            errors.append(
                CellError(
                    row["number"],
                    1,
                    ORG_HEADERS[0],
                    row["code"],
                    _("this code is already used by another organisation"),
                )
            )
    # Parents: a code in the file, or a code or unique name of an org in the user's scope.
    file_codes = {row["code"] for row in parsed}
    file_names = {}
    for row in parsed:
        file_names.setdefault(row["name"], []).append(row["code"])
    for row in parsed:
        named = file_names.get(row["parent"], [])
        if row["parent"] not in file_codes and len(named) == 1:
            row["parent"] = named[0]
    refs = {row["parent"] for row in parsed} - file_codes
    by_code = {o.code: o for o in visible.filter(code__in=refs)}
    by_name = {}
    for org in visible.filter(name__in=refs - set(by_code)):
        by_name.setdefault(org.name, []).append(org)
    for row in parsed:
        ref = row["parent"]
        if ref in file_codes:
            if ref == row["code"]:
                errors.append(
                    CellError(
                        row["number"],
                        5,
                        ORG_HEADERS[4],
                        ref,
                        _("an organisation cannot be its own parent"),
                    )
                )
            continue
        if ref in by_code:
            row["parent_org"] = by_code[ref]
        elif len(by_name.get(ref, [])) == 1:
            row["parent_org"] = by_name[ref][0]
        elif len(by_name.get(ref, [])) > 1:
            errors.append(
                CellError(
                    row["number"],
                    5,
                    ORG_HEADERS[4],
                    ref,
                    _("several organisations have this name; use the code"),
                )
            )
        else:
            errors.append(
                CellError(
                    row["number"],
                    5,
                    ORG_HEADERS[4],
                    ref,
                    _("no such parent organisation in your scope"),
                )
            )
        org = existing.get(row["code"])
        if org is not None and user is not None and not user.is_superuser and org.pk == user.org_id:
            parent = row.get("parent_org")
            if parent is None or org.path[: -Org.steplen] != parent.path:
                errors.append(
                    CellError(
                        row["number"],
                        5,
                        ORG_HEADERS[4],
                        ref,
                        _("you cannot move the organisation at the top of your scope"),
                    )
                )
    order = _parents_first(parsed, errors)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    progress.stage("writing")
    with transaction.atomic():
        written = {}
        for index, row in enumerate(order, start=1):
            progress.count(written=index)
            parent = row.get("parent_org") or written[row["parent"]]
            fields = {k: row[k] for k in ("name", "short_name", "kind", "active")}
            org = existing.get(row["code"])
            if org is None:
                org = services.create_org(actor, parent=parent, code=row["code"], **fields)
                counts["created"] += 1
            else:
                org.refresh_from_db()
                changed = any(getattr(org, k) != v for k, v in fields.items())
                if changed:
                    try:
                        services.update_org(actor, org, **fields)
                    except PermissionDenied:
                        raise ImportRejected(
                            [
                                CellError(
                                    row["number"],
                                    0,
                                    "",
                                    None,
                                    _(
                                        "%(org)s is the top of your scope: only someone above it may change its kind or active flag."
                                    )
                                    % {"org": org.name},
                                )
                            ]
                        ) from None
                if org.path[: -Org.steplen] != parent.path:
                    services.move_org(actor, org, parent)
                    changed = True
                counts["updated" if changed else "unchanged"] += 1
            written[row["code"]] = org
            parent.refresh_from_db()
    return counts


def _parents_first(rows, errors):
    """Order rows so that a parent given in the file is written before its children."""
    by_code = {row["code"]: row for row in rows}
    ordered, state = [], {}

    def visit(row, trail):
        code = row["code"]
        if state.get(code) == "done":
            return
        if code in trail:
            errors.append(
                CellError(
                    row["number"],
                    5,
                    ORG_HEADERS[4],
                    row["parent"],
                    _("the parents in this file form a loop"),
                )
            )
            return
        parent = by_code.get(row["parent"])
        if parent is not None and parent is not row:
            visit(parent, trail | {code})
        state[code] = "done"
        ordered.append(row)

    for row in rows:
        visit(row, frozenset())
    return ordered


# People


def person_rows(people):
    return [
        [
            p.code,
            p.name,
            p.org.code,
            p.title,
            zh_label(Rank, p.rank),
            _yes_no(p.is_party_member),
            _yes_no(p.active),
        ]
        for p in people
    ]


def export_people(people) -> bytes:
    return build_workbook("人员", PERSON_HEADERS, person_rows(people), widths={3: 30, 4: 22})


def person_template(user) -> bytes:
    return build_workbook(
        "人员",
        PERSON_HEADERS,
        [],
        choices={4: _labels(Rank), 5: ["是", "否"], 6: ["是", "否"]},
        widths={3: 30, 4: 22},
        instructions=[
            ["列", "说明"],
            ["人员编号", "必填，全系统唯一；已存在的编号表示修改该人员"],
            ["姓名", "必填"],
            ["所在组织编码", "必填，须在您的范围内"],
            ["职务", "选填"],
            ["职级", "必填：" + "、".join(_labels(Rank))],
            ["党员 / 在职", "是 / 否，留空为是"],
            ["示例", "P0001 | 张三 | 330203 | 区委书记 | 县处级 | 是 | 是"],
        ],
    )


def import_people(actor: Actor, data: bytes, progress=NO_PROGRESS) -> dict:
    user = actor.user
    if user is not None and not user.can_record:
        raise PermissionDenied
    progress.stage("reading")
    sheet = read_sheet(data, PERSON_HEADERS, settings.UPLOAD_MAX_BYTES)
    errors = []
    reader = RowReader(sheet.headers, errors)
    parsed, seen = [], {}
    for number, cells in progress.rows(sheet.rows, errors):
        reader.start(number, cells)
        row = {
            "number": number,
            "code": reader.read(0, text_cell, required=True, max_length=40),
            "name": reader.read(1, text_cell, required=True, max_length=50),
            "org": reader.read(2, text_cell, required=True, max_length=40),
            "title": reader.read(3, text_cell, max_length=100),
            "rank": reader.read(4, choice_cell, Rank),
            "is_party_member": reader.read(5, bool_cell),
            "active": reader.read(6, bool_cell),
        }
        if row["code"]:
            if row["code"] in seen:
                reader.fail(
                    0,
                    _("duplicate person number: also on row %(row)s") % {"row": seen[row["code"]]},
                )
            else:
                seen[row["code"]] = number
        if reader.ok:
            parsed.append(row)
    visible = Org.objects.visible_to(user) if user is not None else Org.objects.all()
    orgs = {o.code: o for o in visible.filter(code__in={r["org"] for r in parsed})}
    existing = {p.code: p for p in Person.objects.filter(code__in=list(seen)).select_related("org")}
    visible_people = Person.objects.visible_to(user) if user is not None else Person.objects.all()
    visible_ids = set(visible_people.filter(code__in=list(existing)).values_list("id", flat=True))
    for row in parsed:
        if row["org"] not in orgs:
            errors.append(
                CellError(
                    row["number"],
                    3,
                    PERSON_HEADERS[2],
                    row["org"],
                    _("no such organisation in your scope"),
                )
            )
        person = existing.get(row["code"])
        if person is not None and person.pk not in visible_ids:
            errors.append(
                CellError(
                    row["number"],
                    1,
                    PERSON_HEADERS[0],
                    row["code"],
                    _("this person number is already in use"),
                )
            )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    progress.stage("writing")
    with transaction.atomic():
        for index, row in enumerate(parsed, start=1):
            progress.count(written=index)
            fields = {
                "name": row["name"],
                "org": orgs[row["org"]],
                "title": row["title"],
                "rank": row["rank"],
                "is_party_member": row["is_party_member"],
                "active": row["active"],
            }
            person = existing.get(row["code"])
            if person is None:
                services.create_person(actor, code=row["code"], **fields)
                counts["created"] += 1
            elif any(getattr(person, k) != v for k, v in fields.items()):
                services.update_person(actor, person, **fields)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts
