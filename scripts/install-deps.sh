#!/usr/bin/env bash
# Installs node_modules from package-lock.json, skipping the work when they already match it.
# `npm install` rather than `npm ci`: npm 11's ci refuses this lock file over optional
# platform packages of msgpackr-extract that were never published; install honours the same lock.
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
npm install --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
