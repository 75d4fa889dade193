"""Campaign definitions: the shipped file loads; a bad file is refused whole, each problem
named by line and key; a reload keeps records and will not drop a kind that has them."""

import datetime
from io import StringIO

from django.core.management import CommandError, call_command

from taizhang.audit.models import Change
from taizhang.campaigns import definition
from taizhang.campaigns.models import ActivityKind, Campaign
from taizhang.ledger.models import Activity
from taizhang.testing import SYSTEM, LedgerTestCase

SHIPPED = definition.DEFAULT_DEFINITION.read_text(encoding="utf-8")


class DefinitionTests(LedgerTestCase):
    def parse_errors(self, text):
        with self.assertRaises(definition.DefinitionError) as caught:
            definition.parse(text, "c.yaml")
        return caught.exception.errors

    def test_it_ships_every_kind_of_work_in_the_seed(self):
        codes = set(self.campaign.kinds.values_list("code", flat=True))
        for code in [
            "committee_meeting",
            "instruction",
            "study_session",
            "reading_class",
            "roots_trip",
            "research_trip",
            "field_visit",
            "seminar",
            "questionnaire",
            "findings_meeting",
            "party_lecture",
            "gap_meeting",
            "life_meeting",
        ]:
            self.assertIn(code, codes)
        self.assertEqual(self.campaign.batches.count(), 2)
        lecture = self.kinds["party_lecture"]
        self.assertTrue(lecture.required)
        self.assertEqual(lecture.fields["lecturer_role"], "required")
        self.assertNotIn("households", lecture.fields)
        self.assertTrue(self.campaign.metrics.filter(code="party_lecture_coverage").exists())
        self.assertTrue(self.campaign.readings.filter(category="constitution").exists())

    def test_it_names_line_and_key_of_each_problem(self):
        bad = SHIPPED.replace(
            "fields: {count: required, households: optional, leader: optional, visited_org",
            "fields: {count: required, housholds: optional, leader: optional, visited_org",
        ).replace("  ends_on: 2020-01-31\n", "  ends_on: 2020-13-31\n", 1)
        errors = self.parse_errors(bad)
        line = next(n for n, text in enumerate(bad.splitlines(), start=1) if "housholds" in text)
        self.assertTrue(
            any(e.startswith(f"c.yaml:{line}: kinds[7].fields.housholds:") for e in errors),
            errors,
        )

    def test_it_reports_missing_keys_and_duplicates(self):
        text = "campaign:\n  code: x\n  name: X\n  starts_on: 2019-06-01\nkinds: []\nbatches:\n  - {number: 1, name: a, starts_on: 2019-06-01, ends_on: 2019-07-01, org_kinds: [town]}\n  - {number: 1, name: b, starts_on: 2019-06-01, ends_on: 2019-07-01, org_kinds: [nowhere]}\n"
        errors = self.parse_errors(text)
        self.assertIn("c.yaml:2: campaign.ends_on: 缺少必填项", errors[0])
        self.assertTrue(any("c.yaml:8: batches[1].number: 序号重复" in e for e in errors))
        self.assertTrue(any("batches[1].org_kinds" in e and "nowhere" in e for e in errors))

    def test_it_refuses_invalid_yaml_with_its_line(self):
        errors = self.parse_errors("campaign:\n  code: x\n  name: [a\n")
        self.assertTrue(errors[0].startswith("c.yaml:4:"), errors)

    def test_a_reload_keeps_records_and_updates_kinds(self):
        changed = SHIPPED.replace("name_zh: 专题党课\n", "name_zh: 专题党课（改）\n")
        definition.apply(SYSTEM, definition.parse(changed, "c.yaml"), "c.yaml")
        self.lecture.refresh_from_db()
        self.assertEqual(self.lecture.kind.name_zh, "专题党课（改）")
        self.assertEqual(Activity.objects.count(), 2)
        self.assertEqual(Campaign.objects.count(), 1)
        self.assertTrue(Change.objects.filter(model="campaigns.campaign", action="update").exists())

    def test_removing_a_kind_with_records_is_refused(self):
        without_lectures = self._without_kind(SHIPPED, "party_lecture")
        with self.assertRaises(definition.DefinitionError) as caught:
            definition.apply(SYSTEM, without_lectures, "c.yaml")
        self.assertIn("party_lecture", caught.exception.errors[0])
        self.assertIn("2", caught.exception.errors[0])
        self.assertTrue(ActivityKind.objects.filter(code="party_lecture").exists())

    def test_removing_a_kind_without_records_works(self):
        definition.apply(SYSTEM, self._without_kind(SHIPPED, "instruction"), "c.yaml")
        self.assertFalse(ActivityKind.objects.filter(code="instruction").exists())

    def test_the_command_exits_non_zero_and_loads_nothing_on_errors(self):
        path = self.tmp_file(
            SHIPPED.replace("unit: 场次\n", "unit: 一个超过十个字的很长的单位名称\n", 1)
        )
        before = Change.objects.count()
        with self.assertRaises(CommandError) as caught:
            call_command("campaign", "load", path, stdout=StringIO())
        self.assertIn("unit", str(caught.exception))
        self.assertEqual(Change.objects.count(), before)
        out = StringIO()
        call_command("campaign", "load", str(definition.DEFAULT_DEFINITION), stdout=out)
        campaign = Campaign.objects.get(code="buwangchuxin-2019")
        self.assertIn(
            f"Reloaded buwangchuxin-2019: 2 batches, {campaign.kinds.count()} kinds, "
            f"{campaign.metrics.count()} metrics",
            out.getvalue(),
        )

    def test_batches_say_who_takes_part_when(self):
        first, second = self.campaign.batches.all()
        self.assertTrue(first.includes(self.haishu) and not first.includes(self.xinlian))
        self.assertTrue(second.includes(self.xinlian))
        self.assertTrue(second.covers(datetime.date(2019, 10, 1)))

    def test_a_reload_keeps_each_target_by_its_code(self):
        before = {t.code: t.pk for t in self.campaign.targets.all()}
        changed = SHIPPED.replace("threshold: 7,", "threshold: 8,")
        definition.apply(SYSTEM, definition.parse(changed, "c.yaml"), "c.yaml")
        after = {t.code: (t.pk, t.threshold) for t in self.campaign.targets.all()}
        self.assertEqual({code: pk for code, (pk, _t) in after.items()}, before)
        self.assertEqual(after["study_days_average"][1], 8)

    def test_it_names_wrong_types_and_unknown_keys(self):
        text = SHIPPED.replace("    required: true\n", "    required: yes please\n", 1)
        text = text.replace(
            "  short_name: 主题教育（2019）\n", "  short_name: 主题教育（2019）\n  colour: red\n"
        )
        errors = self.parse_errors(text)
        lines = text.splitlines()
        colour = next(n for n, t in enumerate(lines, start=1) if "colour" in t)
        required = next(n for n, t in enumerate(lines, start=1) if "yes please" in t)
        self.assertTrue(
            any(e.startswith(f"c.yaml:{colour}: campaign.colour: 未知的键") for e in errors)
        )
        self.assertTrue(
            any(f"c.yaml:{required}: kinds[" in e and "true 或 false" in e for e in errors)
        )
        self.assertEqual(errors, sorted(errors, key=lambda e: int(e.split(":")[1])))

    def test_a_metric_summing_a_field_its_kind_does_not_record_is_refused(self):
        text = SHIPPED.replace("field: participants", "field: households", 1)
        errors = self.parse_errors(text)
        self.assertTrue(any(".field: households" in e for e in errors), errors)

    def _without_kind(self, text, code):
        data = definition.parse(text, "c.yaml")
        metrics = [m for m in data.metrics if m.kind != code]
        kept = {m.code for m in metrics}
        return data.model_copy(
            update={
                "kinds": [k for k in data.kinds if k.code != code],
                "metrics": metrics,
                "targets": [t for t in data.targets if t.metric in kept],
            }
        )

    def tmp_file(self, text):
        import tempfile

        with tempfile.NamedTemporaryFile(
            "w", suffix=".yaml", delete=False, encoding="utf-8"
        ) as handle:
            handle.write(text)
        return handle.name
