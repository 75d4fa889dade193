"""Activity import and export (.xlsx).

A file is for one activity kind: its columns are the kind's fields. The whole file is read
and every row checked by the same rules as the form (`rules.check`) before anything is
written; one bad row and nothing is. A file whose content was imported before is refused,
so the same sheet uploaded twice adds nothing the second time."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.audit.services import Actor
from taizhang.campaigns.models import NUMBER_FIELDS, NUMBER_MAXIMA, ActivityKind
from taizhang.jobs.progress import NO_PROGRESS
from taizhang.ledger import rules
from taizhang.ledger.models import ActivityImport, LecturerRole, Source, Venue
from taizhang.ledger.services import importing
from taizhang.orgs.models import Org, Person
from taizhang.orgs.scope import OUTSIDE, Scope
from taizhang.xlsx import (
    ImportRejected,
    RowReader,
    build_workbook,
    choice_cell,
    date_cell,
    file_error,
    int_cell,
    read_sheet,
    text_cell,
    write_rows,
    zh_label,
)

BASE_HEADERS = ["组织编码", "组织名称", "开始日期", "结束日期", "标题"]
FIELD_HEADERS = {
    "participants": "参与人数",
    "person_times": "人次",
    "days": "天数",
    "households": "走访户数（家/户）",
    "copies": "份数",
    "venue": "场所编码",
    "visited_org": "走访组织编码",
    "leader": "领导干部人员编号",
    "lecturer_role": "主讲人类别",
    "topic": "主题",
}
NOTE_HEADER = "备注"
LIST_LIMIT = 20000  # longer code lists are left out of a template's drop-downs


def headers_for(kind: ActivityKind) -> list[str]:
    columns = list(BASE_HEADERS)
    for name in kind.field_names():
        columns.append(f"数量（{kind.unit}）" if name == "count" else FIELD_HEADERS[name])
    return columns + [NOTE_HEADER]


def columns_for(kind):
    """Field name of each column, in order."""
    return ["org", "org_name", "starts_on", "ends_on", "title", *kind.field_names(), "note"]


# Template


def template(user, kind: ActivityKind) -> bytes:
    headers = headers_for(kind)
    columns = columns_for(kind)
    scope = Org.objects.visible_to(user).filter(active=True)
    lists = {}
    orgs = list(scope.values_list("code", "name")[: LIST_LIMIT + 1])
    if kind.org_kinds:
        orgs = list(
            scope.filter(kind__in=kind.org_kinds).values_list("code", "name")[: LIST_LIMIT + 1]
        )
    if len(orgs) <= LIST_LIMIT:
        lists[0] = ("组织编码", [c for c, _n in orgs], [n for _c, n in orgs])
    if "venue" in columns:
        venues = list(
            Venue.objects.visible_to(user)
            .filter(active=True)
            .values_list("code", "name")[:LIST_LIMIT]
        )
        lists[columns.index("venue")] = (
            "场所编码",
            [c for c, _n in venues],
            [n for _c, n in venues],
        )
    if "leader" in columns:
        people = list(
            Person.objects.visible_to(user)
            .focus_group()
            .filter(active=True)
            .values_list("code", "name")[:LIST_LIMIT]
        )
        lists[columns.index("leader")] = (
            "人员编号",
            [c for c, _n in people],
            [n for _c, n in people],
        )
    choices = {}
    if "lecturer_role" in columns:
        choices[columns.index("lecturer_role")] = [zh_label(LecturerRole, r) for r in LecturerRole]
    campaign = kind.campaign
    example = _example_row(user, kind, columns)
    notes = [
        ["列", "说明"],
        ["活动类型", f"{kind.name_zh}（{kind.code}），单位：{kind.unit}"],
        ["组织编码", "必填，须在您的范围内；可从下拉列表或“代码表”选取"],
        ["组织名称", "选填；填写时须与编码对应的组织一致，便于核对"],
        [
            "开始日期 / 结束日期",
            f"开始日期必填，格式如 2019-06-05；须在 {campaign.starts_on} 至 {campaign.ends_on} 之间；结束日期留空为当天",
        ],
        ["标题", "选填，200 字以内"],
    ]
    for name in kind.field_names():
        header = headers[columns.index(name)]
        rule = "必填" if kind.requires(name) and name != "count" else "选填"
        if name == "count":
            rule = f"选填，留空为 1；一行可汇总多{kind.unit}（如本月 23 {kind.unit}）"
        elif name == "lecturer_role":
            rule += "：" + "、".join(zh_label(LecturerRole, r) for r in LecturerRole)
        elif name in ("venue", "visited_org", "leader"):
            rule += "，填编码或编号，见“代码表”"
        else:
            rule += "，非负整数" if name not in ("topic",) else "，200 字以内"
        notes.append([header, rule])
    notes += [
        ["备注", "选填"],
        ["", ""],
        [
            "整个文件先校验后导入：",
            "任何一行有误，整个文件都不会写入，并列出每个错误的行、列和值。",
        ],
        ["同一文件重复上传：", "内容相同的文件只导入一次。"],
        ["", ""],
        ["示例（请在“数据”表填写，不要在此填写）：", ""],
        headers,
        example,
    ]
    return build_workbook(
        "数据",
        headers,
        [],
        choices=choices,
        lists=lists,
        instructions=notes,
        widths={1: 24, 4: 30},
    )


def _example_row(user, kind, columns):
    org = user.org if user.org_id else Org.objects.filter(depth=1).first()
    batch = kind.campaign.batches.first()
    values = {
        "org": org.code if org else "",
        "org_name": org.name if org else "",
        "starts_on": str(batch.starts_on if batch else kind.campaign.starts_on),
        "ends_on": "",
        "title": f"{kind.name_zh}示例",
        "count": 1,
        "participants": 30,
        "person_times": 30,
        "days": 1,
        "households": 2,
        "copies": 100,
        "venue": "",
        "visited_org": "",
        "leader": "",
        "lecturer_role": zh_label(LecturerRole, LecturerRole.SECRETARY),
        "topic": "主题示例",
        "note": "",
    }
    return [values[c] for c in columns]


# Import


def lookup_in_scope(model, user, codes):
    """Objects by code, only those the user may name: outside the scope a code is unknown."""
    found = {}
    codes = sorted(c for c in codes if c)
    for start in range(0, len(codes), 5000):
        query = model.objects.visible_to(user).filter(code__any=codes[start : start + 5000])
        if model is Person:
            query = query.select_related("org")
        if model is Venue:
            query = query.select_related("owner")
        found.update({o.code: o for o in query})
    return found


def code_or_none(value):
    """A code cell as the lookups want it; a malformed one is reported by the full pass."""
    try:
        return text_cell(value)
    except ValueError:
        return None


def import_activities(
    actor: Actor, kind: ActivityKind, data: bytes, filename: str = "", progress=NO_PROGRESS
) -> dict:
    """Check and import a file; return {"created": n, "rows": n}. Raises ImportRejected
    (with every problem found) or PermissionDenied; writes nothing unless all rows pass."""
    user = actor.user
    if user is not None and not user.can_record:
        raise PermissionDenied
    headers = headers_for(kind)
    columns = columns_for(kind)
    progress.stage("reading")
    sheet = read_sheet(data, headers, settings.UPLOAD_MAX_BYTES)
    digest = sheet.digest(kind.code)
    earlier = ActivityImport.objects.filter(kind=kind, digest=digest).first()
    if earlier is not None:
        raise file_error(
            _(
                "This file was already imported on %(when)s by %(who)s (%(rows)s rows); it was not imported again."
            )
            % {
                "when": timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M"),
                "who": earlier.imported_by_name,
                "rows": earlier.rows,
            }
        )
    col = {name: index for index, name in enumerate(columns)}
    errors = []
    reader = RowReader(headers, errors)
    codes = {}
    for name in ("org", "venue", "visited_org", "leader"):
        if name in col:
            index = col[name]
            codes[name] = {code_or_none(v) for v in {cells[index] for _n, cells in sheet.rows}}
    orgs = lookup_in_scope(Org, user, codes["org"] | codes.get("visited_org", set()))
    venues = lookup_in_scope(Venue, user, codes.get("venue", ()))
    people = lookup_in_scope(Person, user, codes.get("leader", ()))
    references = {"venue": venues, "visited_org": orgs, "leader": people}

    campaign = kind.campaign
    batches = list(campaign.batches.all())
    fields = kind.field_names()
    scope = Scope.of(user)
    scope_org = (
        user.org if user is not None and user.org_id else Org.objects.filter(depth=1).first()
    )
    # Rows that pass go to the database as the next ones are checked; a bad row anywhere
    # rolls all of them back.
    with importing(actor, kind, digest=digest, filename=filename, scope=scope_org) as writer:
        for number, cells in progress.rows(sheet.rows, errors):
            reader.start(number, cells)
            code = reader.read(col["org"], text_cell, required=True)
            org = orgs.get(code) if code else None
            if code and org is None:
                reader.fail(col["org"], _("No organisation with this code in your scope."))
            name = reader.read(col["org_name"], text_cell)
            if org is not None and name and name not in (org.name, org.short_name):
                reader.fail(
                    col["org_name"],
                    _("does not match the organisation of code %(code)s (%(name)s)")
                    % {"code": code, "name": org.name},
                )
            values = {
                "starts_on": reader.read(col["starts_on"], date_cell, required=True),
                "ends_on": reader.read(col["ends_on"], date_cell),
                "title": reader.read(col["title"], text_cell, max_length=200),
                "note": reader.read(col["note"], text_cell, max_length=2000),
            }
            for field in fields:
                if field in NUMBER_FIELDS:
                    minimum = 1 if field == "count" else 0
                    values[field] = reader.read(
                        col[field], int_cell, minimum=minimum, maximum=NUMBER_MAXIMA[field]
                    )
                elif field == "lecturer_role":
                    values[field] = reader.read(
                        col[field], choice_cell, LecturerRole, required=False
                    )
                elif field == "topic":
                    values[field] = reader.read(col[field], text_cell, max_length=200)
                elif ref := reader.read(col[field], text_cell):
                    values[field] = references[field].get(ref)
                    if values[field] is None:
                        reader.fail(col[field], _("not found in your scope"))
            if not reader.ok:
                continue
            clean, problems = rules.check(
                kind, org, values, campaign=campaign, batches=batches, scope=scope
            )
            for field, problem in problems.items():
                reader.fail(col.get(field, 0), problem)
            if not reader.ok:
                continue
            clean["source_row"] = number
            if not errors:  # once a row is bad, nothing more is sent: it all rolls back
                writer.add(clean)
        if errors:
            raise ImportRejected(errors)
        progress.stage("writing")
    created = len(writer.records)
    progress.count(written=created)
    return {"created": created, "rows": len(sheet.rows), "import": writer.imported}


# Export

EXPORT_HEADERS = [
    "活动类型",
    "组织编码",
    "组织名称",
    "开始日期",
    "结束日期",
    "标题",
    "数量",
    "单位",
    *FIELD_HEADERS.values(),
    NOTE_HEADER,
    "批次",
    "来源",
    "录入人",
    "录入时间",
]
EXPORT_LIMIT = 100_000  # about 11 s on SQLite, well inside the worker timeout


def export(activities, scope, progress=NO_PROGRESS) -> bytes:
    """The records as one sheet. Venues, visited orgs and leaders outside `scope` are named
    by the placeholder, as on the pages. Rows are read as plain values (no model instances):
    the whole city's ledger is written in seconds."""
    query = activities.order_by("starts_on", "id").values_list(
        "kind__name_zh",
        "org__code",
        "org__name",
        "starts_on",
        "ends_on",
        "title",
        "count",
        "kind__unit",
        "participants",
        "person_times",
        "days",
        "households",
        "copies",
        "venue__code",
        "venue__owner__path",
        "visited_org__code",
        "visited_org__path",
        "leader__code",
        "leader__org__path",
        "lecturer_role",
        "topic",
        "note",
        "batch__name",
        "source",
        "recorded_by__display_name",
        "recorded_by__username",
        "created_at",
    )
    roles = {role.value: zh_label(LecturerRole, role) for role in LecturerRole}
    sources = {source.value: zh_label(Source, source) for source in Source}
    outside = str(OUTSIDE)
    zone = timezone.get_current_timezone()

    def code(value, path, visible):
        if value is None:
            return None
        return value if visible(path) else outside

    def venue_visible(path):
        return scope.has_path(path) or path in scope.above

    def rows():
        # Positions in the values_list above: 0–12 are written as they are.
        for n, r in enumerate(query.iterator(chunk_size=5000), start=1):
            if not n & 1023:
                progress.count(written=n)
            yield [
                *r[:13],
                code(r[13], r[14], venue_visible),
                code(r[15], r[16], scope.has_path),
                code(r[17], r[18], scope.has_path),
                roles.get(r[19]),
                *r[20:23],
                sources[r[23]],
                r[24] or r[25] or "",
                r[26].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]

    return write_rows("活动台账", EXPORT_HEADERS, rows())
