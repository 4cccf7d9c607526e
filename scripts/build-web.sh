#!/usr/bin/env bash
# Builds the web app (web/ -> web/dist, served by the API at /), skipping the work when web/dist was
# built from exactly these sources: the stamp hashes every file under web/ (but web/dist), the
# manifests and lock file, and the Node version. The API types (web/src/generated/, from the
# server's OpenAPI document, so from src/) are generated first, every time, so the stamp covers
# the API the app was built against. Run after scripts/install-deps.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
npm run --silent web:types >/dev/null
stamp=web/dist/.build-stamp
want="$( {
  node --version
  cat package.json package-lock.json
  find web -path web/dist -prune -o -type f -print | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s\n' "$f"
    cat "$f"
  done
} | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ -f web/dist/index.html ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[web] up to date" >&2
  exit 0
fi
echo "[web] building web/dist" >&2
npm run --silent web:build
[ -f web/dist/index.html ] || { echo "[web] the build produced no web/dist/index.html" >&2; exit 1; }
echo "$want" >"$stamp"
