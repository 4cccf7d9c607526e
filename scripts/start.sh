#!/usr/bin/env bash
# Quick start: install, build the web app (web/dist, served by the API at /), provision PostgreSQL +
# Redis (scripts/services.sh, unless DATABASE_URL / REDIS_URL are set), migrate, seed the demo, then
# run the API and the workers until Ctrl-C or until one of them exits. Node is started directly (not
# through npm) so signals reach it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
bash scripts/install-deps.sh
bash scripts/build-web.sh

exec bash scripts/services.sh bash -c '
  set -euo pipefail
  if ! out=$(node --import tsx node_modules/typeorm/cli.js migration:run -d ormconfig.ts 2>&1); then
    echo "$out" >&2; exit 1
  fi
  echo "[start] migrations applied" >&2
  node --import tsx src/seed/demo.ts
  node --import tsx src/server.ts & api=$!
  node --import tsx workers/main.ts & workers=$!
  stop() { kill -TERM "$api" "$workers" 2>/dev/null || true; }
  trap stop INT TERM
  echo "[start] API on http://${HOST:-127.0.0.1}:${PORT:-3000} (reference at /docs); Ctrl-C stops everything" >&2
  rc=0
  wait -n "$api" "$workers" || rc=$?
  stop
  wait "$api" "$workers" 2>/dev/null || true
  exit "$rc"
'
