#!/usr/bin/env bash
# Install what Taizhang needs into .venv (pinned by requirements.lock).
# With --test, also make sure the system packages the tests use are present
# (Chromium, CJK fonts, PostgreSQL, LibreOffice), installing them with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "Taizhang needs Python 3.11 or newer (found $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ "${1:-}" = "--test" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  # LibreOffice opens what Taizhang writes, as the people receiving it would.
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui libreoffice-writer-nogui)
  command -v msgfmt >/dev/null || missing+=(gettext)  # the catalogue test compiles the .po
  command -v pdftotext >/dev/null || missing+=(poppler-utils)  # reads back the bulletin's PDF
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
fi

# Browser assets (Apache ECharts) come from the npm registry, pinned by package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { echo "Taizhang needs Node.js and npm to install its chart library." >&2; exit 1; }
  npm ci --no-audit --no-fund --silent
fi

stamp=.venv/.installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  [ -d .venv ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
  echo "$want" > "$stamp"
fi
