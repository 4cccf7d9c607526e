#!/usr/bin/env bash
# The browser tests (test/web) drive Debian's Chromium at /usr/bin/chromium through playwright-core;
# no browser is downloaded. Installs it with apt-get when it is missing and we are root (the log goes
# to .local/apt-chromium.log), else fails saying what to do. COUPONS_CHROMIUM overrides the path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CHROMIUM="${COUPONS_CHROMIUM:-/usr/bin/chromium}"
log() { printf '[chromium] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
[ "$(id -u)" -eq 0 ] \
  || die "$CHROMIUM is missing. Install it (Debian/Ubuntu: 'sudo apt-get install -y chromium') or set COUPONS_CHROMIUM to a Chromium binary."
command -v apt-get >/dev/null 2>&1 \
  || die "$CHROMIUM is missing and apt-get is not available; install Chromium, or set COUPONS_CHROMIUM to a Chromium binary."
[ "$CHROMIUM" = /usr/bin/chromium ] \
  || die "$CHROMIUM (COUPONS_CHROMIUM) is missing; apt-get installs /usr/bin/chromium only."

LOCAL_DIR="${COUPONS_LOCAL_DIR:-$ROOT/.local}"
mkdir -p "$LOCAL_DIR"
aptlog="$LOCAL_DIR/apt-chromium.log"
log "chromium not found; installing it with apt-get (log: $aptlog)"
# As scripts/services.sh does for Redis: no package may start a system service meanwhile.
POLICY_RC_CREATED=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  POLICY_RC_CREATED=1
fi
restore_policy_rc() { if [ "$POLICY_RC_CREATED" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi; }
trap restore_policy_rc EXIT
if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 update \
       && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends chromium; } \
     >"$aptlog" 2>&1; then
  tail -n 20 "$aptlog" >&2 || true
  die "apt-get install chromium failed (see $aptlog)"
fi
restore_policy_rc
[ -x "$CHROMIUM" ] || die "$CHROMIUM is still missing after installing the chromium package"
log "installed $("$CHROMIUM" --version 2>/dev/null | head -n1)"
