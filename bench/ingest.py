"""Benchmark: reading narrative reports (cleaned, extracted, matched to metrics). Prints the
time of a 100 KB report and of 200 reports of 10 KB each (made from the seed document,
repeated), median of 3 runs. Prints figures only; nothing here asserts a time.

Run: `make bench-ingest` (a fresh SQLite with the shipped campaign loaded)."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.definition import ensure_default  # noqa: E402
from taizhang.ingest.reader import read  # noqa: E402

SEED = ROOT / "taizhang" / "demo" / "seed" / "000_63d2ed913681413c.txt"


def of_size(text, size):
    """`text` repeated to `size` bytes of UTF-8, cut at a line end."""
    out = ""
    while len(out.encode()) < size:
        out += text + "\n"
    while len(out.encode()) > size:
        out = out[: out.rfind("\n", 0, len(out) - 1) + 1]
    return out


def timed(fn, runs=3):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main():
    call_command("migrate", verbosity=0)
    campaign = ensure_default(Actor.cli("bench"))
    seed = SEED.read_text(encoding="utf-8")
    big, small = of_size(seed, 100_000), of_size(seed, 10_000)
    reading, seconds = timed(lambda: read(big, campaign))
    print(f"one report of {len(big.encode()):,} bytes: {len(reading.mappings)} figures "
          f"in {seconds * 1000:.0f} ms")  # fmt: skip
    readings, seconds = timed(lambda: [read(small, campaign) for _ in range(200)])
    figures = sum(len(r.mappings) for r in readings)
    print(f"200 reports of {len(small.encode()):,} bytes: {figures} figures in {seconds:.2f} s")


if __name__ == "__main__":
    main()
