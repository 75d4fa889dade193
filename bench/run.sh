#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL (SQLite if none can be started). Prints figures only.
#   bench/run.sh             import 10k/100k rows vs the bare read; demo at scale 1
#   DEMO_SCALE=30 bench/run.sh   also times the demo generation at scale 30 (long)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
if out=$(scripts/pg-throwaway.sh); then
  eval "$out"
  trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
  export DATABASE_URL
else
  echo "PostgreSQL not available: benchmarking on SQLite."
fi
python bench/ledger_import.py
if [ -n "${DEMO_SCALE:-}" ]; then
  python manage.py flush --no-input >/dev/null
  SECONDS=0
  taizhang demo --no-serve --scale "$DEMO_SCALE" | grep -E "Activities recorded|People"
  echo "demo generation at scale $DEMO_SCALE: ${SECONDS} s (organisations: $(
    python manage.py shell -v 0 -c 'from taizhang.orgs.models import Org; print(Org.objects.count())' 2>/dev/null))"
fi
