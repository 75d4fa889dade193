#!/usr/bin/env bash
# The bulletin benchmark: the demo at scale ${BULLETIN_SCALE:-1} — in SQLite at scale 1, on a
# throwaway PostgreSQL above it — then bench/bulletin.py. With DATABASE_URL already set (a
# database holding the demo), only runs bench/bulletin.py. Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
scale=${BULLETIN_SCALE:-1}
if [ -z "${DATABASE_URL:-}" ]; then
  export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
  if [ "$scale" != 1 ]; then
    out=$(scripts/pg-throwaway.sh)
    eval "$out"
    trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
    export DATABASE_URL
  fi
  SECONDS=0
  taizhang demo --no-serve --scale "$scale" | grep -E "Activities recorded" || true
  echo "demo generation at scale $scale: ${SECONDS} s"
fi
python bench/bulletin.py
