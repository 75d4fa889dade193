#!/usr/bin/env bash
# The statistics benchmark: builds the demo at scale ${STATS_SCALE:-30} (~100k orgs, ~9M
# records: about 15 minutes) on a throwaway PostgreSQL, then runs bench/stats.py.
# With DATABASE_URL already set (a database holding the demo), only runs bench/stats.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${DATABASE_URL:-}" ]; then
  export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
  out=$(scripts/pg-throwaway.sh)
  eval "$out"
  trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
  export DATABASE_URL
  SECONDS=0
  taizhang demo --no-serve --scale "${STATS_SCALE:-30}" | grep -E "Activities recorded" || true
  echo "demo generation at scale ${STATS_SCALE:-30}: ${SECONDS} s"
fi
python bench/stats.py
