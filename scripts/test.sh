#!/usr/bin/env bash
# The whole test suite: lint, the migrations check, then pytest on SQLite and on a throwaway
# PostgreSQL. TAIZHANG_REQUIRE_POSTGRES=1 (as in CI) makes a missing PostgreSQL an error.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export TAIZHANG_HOME=${TAIZHANG_HOME:-$(mktemp -d /tmp/taizhang-test.XXXXXX)}
unset DATABASE_URL

echo "== ruff"
ruff check .
ruff format --check .
echo "== migrations check"
python manage.py makemigrations --check --dry-run
echo "== OpenAPI schema check"
python manage.py spectacular --validate --fail-on-warn --file /dev/null
echo "== pytest on SQLite"
pytest "$@"

echo "== pytest on PostgreSQL"
if ! out=$(scripts/pg-throwaway.sh); then
  if [ "${TAIZHANG_REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "PostgreSQL could not be started, and it is required." >&2
    exit 1
  fi
  echo "PostgreSQL not available: skipped the PostgreSQL run."
  exit 0
fi
eval "$out"
trap 'scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
DATABASE_URL=$DATABASE_URL pytest "$@"
