#!/usr/bin/env bash
# The long fuzz: install, then run test/http/fuzz.test.ts alone with many runs per operation and a
# random seed (printed; a failure prints the command that reproduces it) against PostgreSQL + Redis
# provisioned by scripts/services.sh (database coupons_fuzz; DATABASE_URL / REDIS_URL, when set,
# are used instead). The suite runs the same test with a fixed seed and a few runs.
#
#   npm run fuzz                                   # FUZZ_RUNS=200, random seed
#   FUZZ_SEED=123 FUZZ_ONLY='POST /v1/orders' npm run fuzz
#   FUZZ_ALL=1 npm run fuzz                        # every distinct failure, not only the first per operation
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
bash scripts/install-deps.sh
export FUZZ_LONG=1 LOG_LEVEL="${LOG_LEVEL:-silent}"
# --no-config: .mocharc.json's spec would add the whole suite to the one file named here.
COUPONS_DB_NAME=coupons_fuzz exec bash scripts/services.sh npx mocha --no-config --require tsx --require test/setup/root-hooks.ts \
  --extension ts --exit --timeout 0 --reporter spec test/http/fuzz.test.ts
