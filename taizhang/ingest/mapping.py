"""Matching each figure read from a report to the campaign's metrics, through the phrases
the campaign definition gives each metric, with unit compatibility and a confidence:
1.0 when a metric's phrase lies in the figure's own phrase, 0.8 in its clause, 0.5 in its
sentence; the phrase standing nearest the number wins. Unmapped figures are kept."""

from dataclasses import dataclass

from taizhang.ingest.extract import Figure

# Measure words that count the same thing.
SAME_UNITS = [{"场", "场次"}, {"名", "人"}, {"家(户)", "户", "家"}]
FOCUS_AREAS = "focus_areas"  # the campaign file's focus areas, not a metric


def compatible(unit: str, metric_unit: str) -> bool:
    return unit == metric_unit or any(unit in g and metric_unit in g for g in SAME_UNITS)


@dataclass
class Mapping:
    figure: Figure
    metric: str | None
    confidence: float


def _nearest(candidates, text, at):
    def distance(pair):
        _metric, phrase = pair
        places = [i for i in range(len(text)) if text.startswith(phrase, i)]
        return min(abs(i - at) for i in places)

    return min(candidates, key=distance)[0]


def map_figures(figures, campaign) -> list[Mapping]:
    metrics = list(campaign.metrics.all())
    phrases = [(m, p) for m in metrics for p in [*(m.phrases or []), m.name_zh] if p]
    areas = list(campaign.focus_areas or [])
    out = []
    for figure in figures:
        found = None
        for confidence, text, at in (
            (1.0, figure.phrase, 0),
            (0.8, figure.clause, figure.clause_at),
            (0.5, figure.sentence, figure.sentence_at),
        ):
            candidates = [
                (m, p) for m, p in phrases if p in text and compatible(figure.unit, m.unit)
            ]
            if candidates:
                found = Mapping(figure, _nearest(candidates, text, at).code, confidence)
                break
        if found is None and figure.unit == "方面" and sum(a in figure.phrase for a in areas) >= 2:
            found = Mapping(figure, FOCUS_AREAS, 0.8)
        out.append(found or Mapping(figure, None, 0.0))
    return out
