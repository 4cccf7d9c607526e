#!/usr/bin/env bash
# Installs node_modules exactly as package-lock.json says (npm ci), skipping the work when they
# already match it. The lock lists every optional platform package of msgpackr-extract 3.0.7, so
# npm 10 and 11 both accept it; the Dockerfile runs the same npm ci.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
stamp=node_modules/.install-stamp
want="$( { node --version; cat package.json package-lock.json; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[deps] up to date" >&2
  exit 0
fi
echo "[deps] installing" >&2
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
