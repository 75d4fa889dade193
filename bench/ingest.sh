#!/usr/bin/env bash
# The reader benchmark: a fresh SQLite with the shipped campaign, then bench/ingest.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
unset DATABASE_URL
python bench/ingest.py
