"""The reader: a report's text cleaned, its figures extracted and matched to the campaign's
metrics. Pure: it reads, and writes nothing."""

from dataclasses import dataclass

from taizhang.ingest.clean import Cleaned, clean
from taizhang.ingest.extract import extract
from taizhang.ingest.mapping import Mapping, map_figures


@dataclass
class Reading:
    cleaned: Cleaned
    mappings: list[Mapping]

    def as_json(self) -> list[dict]:
        """One object per figure; `start` and `end` are places in the original text."""
        out = []
        for mapping in self.mappings:
            figure = mapping.figure
            start, end = self.cleaned.span(figure.start, figure.end)
            out.append(
                {
                    "value": figure.number,
                    "unit": figure.unit,
                    "approximate": figure.approximate,
                    "phrase": figure.phrase,
                    "sentence": figure.sentence,
                    "start": start,
                    "end": end,
                    "metric": mapping.metric,
                    "confidence": mapping.confidence,
                    "relation": figure.relation or None,
                }
            )
        return out


def read(text: str, campaign) -> Reading:
    cleaned = clean(text)
    return Reading(cleaned, map_figures(extract(cleaned.text), campaign))
