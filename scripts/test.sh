#!/usr/bin/env bash
# The whole suite: install, build the web app, make sure Chromium is there for the browser tests,
# lint, typecheck (no services needed, so first), then the tests against PostgreSQL + Redis
# provisioned by scripts/services.sh (database coupons_test). Non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
bash scripts/install-deps.sh
bash scripts/build-web.sh
bash scripts/ensure-chromium.sh
echo "[test] lint" >&2
npm run --silent lint
echo "[test] typecheck" >&2
npm run --silent typecheck
echo "[test] tests" >&2
COUPONS_DB_NAME=coupons_test exec bash scripts/services.sh npm run --silent test:all
