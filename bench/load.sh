#!/usr/bin/env bash
# The deadline-day load test: builds the demo at scale ${LOAD_SCALE:-30} on a throwaway
# PostgreSQL (about 20 minutes at 30), then runs bench/load.py against `taizhang serve`.
# With DATABASE_URL already set (a database holding the demo), only runs bench/load.py.
# LOAD_ARGS passes options (e.g. "--reporters 80 --viewers 80 --seconds 60").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${DATABASE_URL:-}" ]; then
  export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-load.XXXXXX)
  out=$(scripts/pg-throwaway.sh)
  eval "$out"
  trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
  export DATABASE_URL
  SECONDS=0
  taizhang demo --no-serve --scale "${LOAD_SCALE:-30}" | grep -E "Activities recorded" || true
  echo "demo generation at scale ${LOAD_SCALE:-30}: ${SECONDS} s"
fi
python bench/load.py ${LOAD_ARGS:-}
