#!/usr/bin/env bash
# The sector systems' benchmark: builds the demo at scale ${SECTORS_SCALE:-30} on a
# throwaway PostgreSQL (about 20 minutes), then runs bench/sectors.py. With DATABASE_URL
# already set (a database holding the demo), only runs bench/sectors.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${DATABASE_URL:-}" ]; then
  export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
  out=$(scripts/pg-throwaway.sh)
  eval "$out"
  trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
  export DATABASE_URL
  taizhang demo --no-serve --scale "${SECTORS_SCALE:-30}" | grep -E "Activities recorded" || true
fi
python bench/sectors.py
