#!/usr/bin/env bash
# A benchmark: install, then run the given TypeScript benchmark file against PostgreSQL + Redis
# provisioned by scripts/services.sh (database coupons_bench; DATABASE_URL / REDIS_URL, when set,
# are used instead). Exits with the benchmark's status; its last stdout line is its JSON result.
#
#   bash scripts/bench.sh bench/issuance.ts
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/bench.sh <bench-file.ts> [args...]" >&2
  exit 2
fi
bash scripts/install-deps.sh
echo "[bench] $*" >&2
COUPONS_DB_NAME=coupons_bench exec bash scripts/services.sh node --import tsx "$@"
