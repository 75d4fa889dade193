"""A claim beside the ledger: an exact one agrees with the ledger as written to its last
place (7天 with 7.004), an approximate one within its stated precision."""

from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase

from taizhang.ingest.clean import clean
from taizhang.ingest.extract import extract
from taizhang.ingest.reconcile import agrees, difference


def claim(text):
    [figure] = extract(clean(text).text)
    return SimpleNamespace(
        value=figure.value, approximate=figure.approximate, direction=figure.direction,
        precision=figure.precision,
    )  # fmt: skip


class AgreementTests(SimpleTestCase):
    def test_each_kind_of_figure_agrees_within_what_it_states(self):
        cases = [
            ("发放问卷2700余份", 2716, True), ("发放问卷2700余份", 2800, False),
            ("发放问卷2700余份", 2699, False), ("走访5.28万余户", 52860, True),
            ("组织宣讲近300场", 297, True), ("组织宣讲近300场", 301, False),
            ("解决问题1500项左右", 1460, True), ("解决问题1500项左右", 1700, False),
            ("学习7天", Decimal("7.004"), True), ("学习7天", 8, False),
            ("参与7.8万人次", 78040, True), ("参与7.8万人次", 79000, False),
            ("召开会议15次", 15, True), ("召开会议15次", 16, False),
        ]  # fmt: skip
        for text, ledger, expected in cases:
            with self.subTest(text=text, ledger=ledger):
                c = claim(text)
                self.assertEqual(agrees(c, Decimal(ledger)), expected)
                self.assertEqual(difference(c, Decimal(ledger)) == 0, expected)
