"""A bulletin's statistics appendix (.xlsx): one sheet per section of the bulletin with the
metrics its figures come from, and one with every metric; each sheet holds the org, each
of its child orgs and their total. Figures are computed afresh for the bulletin's org and
period (an issued bulletin's stored figures are on its page)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from taizhang.campaigns.models import Aggregate
from taizhang.stats import figures as stats
from taizhang.stats.periods import date_range
from taizhang.xlsx.write import safe_row

NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.0"%"'


def _metric_codes(section):
    """The metrics of a section's figures, in the order they stand."""
    codes = [s["slot"].split("|")[0] for p in section["paragraphs"] for s in p if "slot" in s]
    return list(dict.fromkeys(codes))


def _title(text, taken):
    r"""A sheet name Excel accepts: no []:*?/\, at most 31 characters, not used yet."""
    name = "".join(c for c in text if c not in "[]:*?/\\")[:28] or "指标"
    while name in taken:
        name = name[:27] + "'"
    taken.add(name)
    return name


def _sheet(workbook, title, metrics, org, children, own, found):
    sheet = workbook.create_sheet(title)
    headers = ["组织", *(f"{m.name_zh}（{m.unit}）" for m in metrics)]
    sheet.append(safe_row(sheet, headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FCE8E6")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    for index in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    rows = [(org.name + "（合计）", own)] + [(c.name, found[c.pk]) for c in children]
    for name, values in rows:
        row = [name]
        for metric in metrics:
            figure = values.get(metric.code)
            value = figure.value if figure is not None else None
            row.append(float(value) if isinstance(value, Decimal) else value)
        sheet.append(safe_row(sheet, row))
        for metric, cell in zip(metrics, sheet[sheet.max_row][1:], strict=True):
            if metric.aggregate == Aggregate.COVERAGE:
                cell.number_format = PERCENT_FORMAT
            elif metric.aggregate == Aggregate.AVERAGE_PER_ORG:
                cell.number_format = DECIMAL_FORMAT
            else:
                cell.number_format = NUMBER_FORMAT
    sheet["A2"].font = Font(bold=True)


def appendix(bulletin) -> bytes:
    campaign, org = bulletin.campaign, bulletin.org
    metrics = {m.code: m for m in campaign.metrics.select_related("kind", "campaign")}
    period = date_range(bulletin.starts_on, bulletin.ends_on)
    own, children, found = stats.with_children(list(metrics.values()), org, period)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    for section in bulletin.body:
        codes = [c for c in _metric_codes(section) if c in metrics]
        if codes:
            title = _title(section["heading"], taken)
            _sheet(workbook, title, [metrics[c] for c in codes], org, children, own, found)
    _sheet(workbook, _title("全部指标", taken), list(metrics.values()), org, children, own, found)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
