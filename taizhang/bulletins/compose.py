"""Writing a bulletin's text from its template and the figures of an org and period.

A slot is a metric's figure in a style; a clause whose figures are all zero or missing is
dropped, a sentence with no clause left is dropped (and the clauses left are joined so the
sentence stays grammatical), and so is a section with nothing left. The body is kept as
segments, text or a slot's key, so an edited draft keeps every figure linked."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr

from taizhang.bulletins.template import SLOT, LocalNews, RoleModels, Template
from taizhang.campaigns.models import Aggregate
from taizhang.ledger.models import Activity
from taizhang.numbers import cn_number, cn_styled
from taizhang.orgs.models import Org, OrgKind
from taizhang.orgs.scope import in_subtree, in_subtrees
from taizhang.stats import figures as stats
from taizhang.stats import sectors as sector_stats
from taizhang.stats.coverage import gap_ids
from taizhang.study.models import RoleModel

GAP_NAMES = 10  # orgs named in a gap clause; more are "等"


@dataclass
class Slot:
    key: str
    metric: str
    style: str
    value: Decimal | None
    text: str


@dataclass
class Draft:
    name: str
    title: str
    office: str
    footer: list
    copies: int
    body: list  # [{"heading", "paragraphs": [[segment, …], …]}]
    slots: dict = field(default_factory=dict)  # key -> Slot


def period_words(period, campaign) -> str:
    if stats.covers_campaign(period, campaign):
        return "主题教育开展以来"
    start, end = period.start, period.end
    same_year = start.year == end.year
    first = f"{start.year}年{start.month}月{start.day}日"
    last = f"{'' if same_year else f'{end.year}年'}{end.month}月{end.day}日"
    return f"{first}至{last}"


class Composer:
    def __init__(
        self, template: Template | None, campaign, org, period, previous=None, codes=(), sector=None
    ):
        """`codes`: the metrics to compute when there is no template (a recount). With
        `sector`, the bulletin speaks for that sector system (its members' subtrees)."""
        self.template, self.campaign, self.org, self.period = template, campaign, org, period
        self.metrics = {m.code: m for m in campaign.metrics.select_related("kind")}
        if template is not None:
            codes = [c for c, _style in template.slots()]
        wanted = [self.metrics[c] for c in dict.fromkeys(codes) if c in self.metrics]
        self.subject = sector_stats.subject(sector) if sector is not None else None
        if self.subject is not None:
            # An own-scope figure speaks of one leadership team: a system has none.
            wanted = [m for m in wanted if m.scope != "self"]
            self.figures = sector_stats.figures_of(wanted, self.subject, period)
        else:
            self.figures = stats.figures(wanted, [org], period)[org.pk]
        # The last issued bulletin's figures, for "较上期新增…".
        self.before = {}
        if previous is not None:
            for figure in previous.figures.filter(style="number"):
                self.before[figure.metric] = figure.value
        self.slots = {}
        name = sector.name if sector is not None else org.name
        self.words = {"org": name, "period": period_words(period, campaign)}

    # Slots

    def slot(self, code, style) -> Slot | None:
        """The slot's figure, or None when it says nothing (zero, missing, no change)."""
        key = f"{code}|{style}"
        if key in self.slots:
            return self.slots[key]
        found = self._figure(code, style)
        if found is not None:
            self.slots[key] = Slot(key, code, style, *found)
        return self.slots.get(key)

    def _figure(self, code, style):
        if code == "focus_areas":
            areas = list(self.campaign.focus_areas)
            return (Decimal(len(areas)), f"{'、'.join(areas)}{len(areas)}个方面") if areas else None
        metric = self.metrics[code]
        figure = self.figures.get(code)
        value = figure.value if figure is not None else None
        if style == "delta":
            before = self.before.get(code)
            if value is None or before is None or Decimal(value) <= before:
                return None
            delta = Decimal(value) - before
            return delta, f"{cn_number(delta)}{metric.unit}"
        if style == "gaps":
            return self._gaps(metric, figure)
        if value is None or Decimal(value) == 0:
            return None
        value = Decimal(value)
        if metric.aggregate == Aggregate.COVERAGE:
            if style == "coverage" and value < 100:
                return value, f"覆盖率达{cn_styled(value, 'percent')}"
            return value, cn_styled(value, style if style in ("coverage", "percent") else "percent")
        return value, f"{cn_styled(value, style)}{metric.unit}"

    def _gaps(self, metric, figure):
        if metric.aggregate != Aggregate.COVERAGE or figure is None or not figure.gap:
            return None
        if self.subject is not None:
            ids, count = sector_stats.gap_ids(metric, self.subject, self.period, limit=GAP_NAMES)
        else:
            ids, count = gap_ids(metric, self.org, self.period, limit=GAP_NAMES)
        names = dict(Org.objects.filter(pk__in=ids).values_list("pk", "name"))
        kinds = set(Org.objects.filter(pk__in=ids).values_list("kind", flat=True))
        what = OrgKind(kinds.pop()).label if len(kinds) == 1 else "基层党组织"
        listed = "、".join(names[i] for i in ids if i in names)
        more = "等" if count > len(ids) else ""
        text = f"尚有{count}个{what}未开展{metric.kind.name_zh}：{listed}{more}"
        return Decimal(count), text

    # Text

    def fill(self, text) -> list | None:
        """Segments of one piece of template text, or None if a slot in it says nothing."""
        segments, at = [], 0
        for match in SLOT.finditer(text):
            name, style = match.groups()
            if match.start() > at:
                segments.append({"text": text[at : match.start()]})
            if name in self.words and style is None:
                segments.append({"text": self.words[name]})
            else:
                slot = self.slot(name, style or "number")
                if slot is None:
                    return None
                segments.append({"slot": slot.key})
            at = match.end()
        if at < len(text):
            segments.append({"text": text[at:]})
        return segments

    def sentence(self, sentence) -> list:
        clauses = [c for c in (self.fill(text) for text in sentence.clauses) if c is not None]
        if not clauses:
            return []
        lead, end = self.fill(sentence.lead) or [], self.fill(sentence.end) or []
        out = list(lead)
        for i, clause in enumerate(clauses):
            if i:
                out.append({"text": sentence.join})
            out.extend(clause)
        return _merge(out + end)

    def local_news(self, per_child) -> list:
        """各地动态: each child org's largest records of the period, by name (one query:
        the records of the subtree ranked within each child's branch). A sector system's
        are its members' (a query for each)."""
        if self.subject is not None:
            return [p for member in self.subject.parts for p in self._news_of(member, per_child)]
        length = len(self.org.path) + Org.steplen
        branch = Substr("org__path", 1, length)
        order = [
            F(name).desc(nulls_last=True) for name in ("participants", "person_times", "count")
        ]
        ranked = (
            Activity.objects.filter(
                in_subtree(self.org),
                org__depth__gt=self.org.depth,
                kind__campaign=self.campaign,
                starts_on__range=(self.period.start, self.period.end),
            )
            .exclude(title="")
            .annotate(
                branch=branch,
                rank=Window(RowNumber(), partition_by=[branch], order_by=[*order, F("id").asc()]),
            )
            .filter(rank__lte=per_child)
            .values_list("branch", "rank", "title", "participants", "person_times")
        )
        found = {}
        for path, rank, title, participants, person_times in ranked:
            people = participants or person_times
            extra = f"（{cn_number(people)}人次参加）" if people else ""
            found.setdefault(path, []).append((rank, f"{title}{extra}"))
        paragraphs = []
        for child in self.org.children_in_order().filter(active=True):
            items = [text for _rank, text in sorted(found.get(child.path, []))]
            if items:
                # Written from the records: "record" marks text a check need not trace.
                text = "；".join(items) + "。"
                paragraphs.append(
                    [{"text": f"{child.name}："}, {"text": text, "record": "activity"}]
                )
        return paragraphs

    def _news_of(self, member, limit):
        order = [F(n).desc(nulls_last=True) for n in ("participants", "person_times", "count")]
        records = (
            Activity.objects.filter(
                in_subtree(member),
                kind__campaign=self.campaign,
                starts_on__range=(self.period.start, self.period.end),
            )
            .exclude(title="")
            .order_by(*order, "id")
            .values_list("title", "participants", "person_times")[:limit]
        )
        items = []
        for title, participants, person_times in records:
            people = participants or person_times
            items.append(f"{title}（{cn_number(people)}人次参加）" if people else title)
        if not items:
            return []
        text = "；".join(items) + "。"
        return [[{"text": f"{member.name}："}, {"text": text, "record": "activity"}]]

    def _where(self):
        """The records this bulletin speaks of: the org's subtree, or the members'."""
        if self.subject is None:
            return in_subtree(self.org)
        return in_subtrees(self.subject.paths)

    def role_models(self, limit) -> list:
        models = (
            RoleModel.objects.filter(
                self._where(), campaign=self.campaign,
                shared_on__range=(self.period.start, self.period.end),
            )
            .select_related("person", "honoured_org")
            .order_by("shared_on", "id")[:limit]
        )  # fmt: skip
        return [[{"text": f"{m.title}：{m.story}", "record": "role_model"}] for m in models]

    def compose(self) -> Draft:
        body = []
        for section in self.template.sections:
            paragraphs = []
            for paragraph in section.paragraphs:
                if isinstance(paragraph, LocalNews):
                    paragraphs.extend(self.local_news(paragraph.local_news))
                elif isinstance(paragraph, RoleModels):
                    paragraphs.extend(self.role_models(paragraph.role_models))
                else:
                    text = [s for sentence in paragraph for s in self.sentence(sentence)]
                    if text:
                        paragraphs.append(_merge(text))
            if paragraphs:
                body.append({"heading": section.heading, "paragraphs": paragraphs})
        words = self.words
        return Draft(
            name=self.template.name,
            title=self.template.title.format(**words),
            office=self.template.office.format(**words),
            footer=[list(pair) for pair in self.template.footer],
            copies=self.template.copies,
            body=body,
            slots=self.slots,
        )


def _merge(segments):
    """Adjacent text segments joined into one."""
    out = []
    for segment in segments:
        if "text" in segment and out and "text" in out[-1] and "record" not in out[-1]:
            out[-1] = {"text": out[-1]["text"] + segment["text"]}
        elif segment.get("text", None) != "":
            out.append(segment)
    return out


def render(body, slots) -> list:
    """[(heading, [paragraph text, …]), …] with each slot written as its text."""
    return [
        (
            section["heading"],
            ["".join(s["text"] if "text" in s else slots[s["slot"]] for s in p)
             for p in section["paragraphs"]],
        )
        for section in body
    ]  # fmt: skip
