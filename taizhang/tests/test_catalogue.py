"""The Chinese catalogue is the source of the interface's Chinese: every string the code
marks for translation has a Chinese entry there, none fuzzy, and the compiled file is
current."""

import re
import subprocess
from pathlib import Path

from django.test import SimpleTestCase

LOCALE = Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES"


def entries(text):
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        value = "".join("".join(re.findall(r'"(.*)"', s)) for s in strings)
        yield key, value, re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None


class CatalogueTests(SimpleTestCase):
    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        found = list(entries((LOCALE / "django.po").read_text()))
        self.assertGreater(len(found), 700)
        for key, value, fuzzy in found:
            if not key:
                continue  # the header
            with self.subTest(msgid=key):
                self.assertTrue(value, "untranslated")
                self.assertFalse(fuzzy, "fuzzy")

    def test_the_compiled_catalogue_matches_the_source(self):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "-", str(LOCALE / "django.po")],
            capture_output=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, (LOCALE / "django.mo").read_bytes())
