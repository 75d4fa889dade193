"""Reading the seed document (traditional characters, pinyin and a mojibake run in it)
gives exactly the 30 figures of figures.md, with their values, units and approximate
flags, each matched to the 2019 campaign's metric, and none of the numbers that list says
are not statistics."""

import re
from decimal import Decimal
from pathlib import Path

from taizhang.ingest.clean import clean
from taizhang.ingest.reader import read
from taizhang.testing import LedgerTestCase

SEED = Path(__file__).resolve().parents[2] / "demo" / "seed"  # a copy of ../shared/seed
# figures.md row → the campaign metric it is (27: the campaign file's focus areas).
METRICS = {
    1: "meetings", 2: "instructions", 3: "standing_study_days", 4: "research_trips",
    5: "seminars", 6: "questionnaires", 7: "problems_solved_on_spot",
    8: "reading_class_sessions", 9: "reading_class_cadres", 10: "reading_class_topics",
    11: "study_sessions", 12: "study_days_average", 13: "study_person_times",
    14: "red_model_bases", 15: "service_centres", 16: "distance_stations", 17: "roots_trips",
    18: "roots_trip_person_times", 19: "city_base_daily_visitors", 20: "lecture_halls",
    21: "role_models", 22: "field_visits", 23: "visited_households", 24: "findings_meetings",
    25: "research_reports", 26: "adopting_leaders", 27: "focus_areas", 28: "rectified_villages",
    29: "party_lectures", 30: "party_lecture_coverage",
}  # fmt: skip
# The units figures.md writes where the text writes a measure word of the same count.
UNITS = {"—": "%"}


def seed_rows():
    """(row, value, unit, approximate) of each figures.md row."""
    rows = []
    for line in (SEED / "figures.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].isdigit():
            continue
        number, value, unit = int(cells[0]), cells[3], cells[4]
        approximate = value.startswith("≥")
        amount = Decimal(re.match(r"≥?([\d.]+)", value).group(1))
        if value.endswith("(全覆盖)"):
            amount = amount / 100
        rows.append((number, amount, UNITS.get(unit, unit), approximate))
    return rows


class SeedReadingTests(LedgerTestCase):
    def test_the_seed_gives_exactly_its_30_figures_mapped_to_the_metrics(self):
        text = (SEED / "000_63d2ed913681413c.txt").read_text(encoding="utf-8")
        found = read(text, self.campaign).as_json()
        rows = seed_rows()
        self.assertEqual(len(rows), 30)
        self.assertEqual(len(found), 30, [f["phrase"] for f in found])
        by_metric = {f["metric"]: f for f in found}
        for number, value, unit, approximate in rows:
            with self.subTest(row=number):
                figure = by_metric[METRICS[number]]
                self.assertEqual(Decimal(str(figure["value"])), value)
                self.assertEqual(figure["unit"], unit)
                self.assertEqual(figure["approximate"], approximate)
                # The place in the original holds the figure as written, unit and all.
                written = clean(text[figure["start"] : figure["end"]]).text
                self.assertTrue(written.endswith(unit) or written == "全覆盖", written)
        # The places point into the original (traditional) text.
        meetings = by_metric["meetings"]
        self.assertEqual(text[meetings["start"] : meetings["end"]], "15次")
        lectures = by_metric["party_lectures"]
        self.assertEqual(text[lectures["start"] : lectures["end"]], "3.34萬場次")

    def test_the_numbers_that_are_not_statistics_are_not_read(self):
        text = (SEED / "000_63d2ed913681413c.txt").read_text(encoding="utf-8")
        places = [text[f["start"] : f["end"]] for f in read(text, self.campaign).as_json()]
        for not_a_figure in ("2019年", "6月", "十九屆", "十四屆", "六次", "五個", "六個", "5條",
                             "1家", "1個區", "兩批", "千名", "萬名黨員", "萬場黨課", "一遍"):  # fmt: skip
            with self.subTest(text=not_a_figure):
                self.assertFalse(any(not_a_figure in p for p in places), places)
