#!/usr/bin/env bash
# The trust benchmark: the Ningbo demo in SQLite in a fresh folder, then bench/trust.py
# (the whole-ledger export and the hostile-file corpus). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export TAIZHANG_HOME=$(mktemp -d /tmp/taizhang-bench.XXXXXX)
unset DATABASE_URL
taizhang demo --no-serve | grep -E "Activities recorded"
python bench/trust.py
