#!/usr/bin/env bash
# The API benchmark: the demo at scale 1 on a throwaway PostgreSQL (SQLite when PostgreSQL
# cannot be started), then bench/api.py. With DATABASE_URL set, only runs bench/api.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${DATABASE_URL:-}" ]; then
  export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
  if out=$(scripts/pg-throwaway.sh); then
    eval "$out"
    trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
    export DATABASE_URL
  fi
  taizhang demo --no-serve >/dev/null
fi
python bench/api.py
