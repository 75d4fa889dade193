"""The Chinese number style, pages and bulletins alike: each style's examples, and for any
value, formatting and then parsing gives the value back within the precision written."""

from decimal import Decimal

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from taizhang.numbers import cn_approx, cn_number, cn_styled, parse_cn


class NumberStyleTests(SimpleTestCase):
    def test_each_style_writes_as_reports_do(self):
        cases = [
            (4619, "number", "4619"),
            (78000, "number", "7.8万"),
            (556800, "number", "55.68万"),
            (12300, "number", "1.23万"),
            (130000000, "number", "1.3亿"),
            (34000, "number", "3.4万"),
            (2716, "approx", "2700余"),
            (2700, "approx", "2700"),
            (52860, "approx", "5.28万余"),
            (Decimal("98.5"), "percent", "98.5%"),
            (100, "coverage", "全覆盖"),
            (Decimal("99.9"), "coverage", "99.9%"),
            (4619, "plain", "4619"),
        ]
        for value, style, text in cases:
            with self.subTest(value=value, style=style):
                self.assertEqual(cn_styled(value, style), text)

    @given(st.integers(min_value=0, max_value=10**12))
    def test_a_whole_number_reads_back_within_its_precision(self, value):
        for text in (cn_number(value), cn_approx(value)):
            read, precision, approximate = parse_cn(text)
            if approximate:
                self.assertTrue(read <= value < read + precision, (value, text))
            else:
                self.assertLessEqual(abs(read - value), precision, (value, text))

    @given(st.decimals(min_value=0, max_value=100, places=2))
    def test_a_percentage_reads_back_within_its_precision(self, value):
        read, precision, _approximate = parse_cn(cn_styled(value, "percent"))
        self.assertLessEqual(abs(read - value), precision)

    def test_what_is_not_a_figure_is_refused(self):
        for text in ("", "七千", "1.2.3万", "万"):
            with self.subTest(text=text), self.assertRaises(ValueError):
                parse_cn(text)
