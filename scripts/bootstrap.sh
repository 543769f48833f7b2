#!/usr/bin/env bash
# Installs what Vern needs on a fresh Debian machine and is missing: uv, the Python workspace,
# the dev IdP's and the SPA's npm packages, PostgreSQL binaries and Chromium (for tests).
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=${VERN_SYSTEM_PACKAGES:-auto}   # auto | yes | no

if ! command -v uv >/dev/null 2>&1; then
  echo "bootstrap: installing uv"
  python3 -m pip install --quiet --disable-pip-version-check uv
fi

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ] && [ "$want_system" != no ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  fi
fi

uv sync --locked --quiet
for dir in deploy/dev-idp frontend; do
  if [ -f "$dir/package-lock.json" ] && [ ! -f "$dir/node_modules/.package-lock.json" -o "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "bootstrap: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
