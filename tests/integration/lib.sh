# tests/integration/lib.sh - helpers for integration tests against
# ../shared/bmcsim: start a fleet on its own ports, stop it by PID on exit,
# count checks and print the "N passed, N failed" line ctest logs show.
# shellcheck shell=bash

IC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IC_SHARED=${IC_SHARED:-$(cd "$IC_ROOT/../shared" 2>/dev/null && pwd)}
BMCSIM=$IC_SHARED/bmcsim
: "${IC_BIN:?IC_BIN must point to the ipmi-collector binary}"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2] got [$3]"; fi
}
# check_match NAME REGEX TEXT
check_match() {
  if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1"; else bad "$1: [$3] does not match /$2/"; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}

# fleet_start BASEPORT N [--front]: starts a fleet and sets IC_FLEET_BASE to
# the base port it got (BASEPORT, or a later one if a port there is taken);
# exports BMCSIM_DIR; stops the fleet on exit.
fleet_start() {
  local base=$1 n=$2 front=${3:-} try
  export BMCSIM_DIR
  trap 'fleet_stop' EXIT
  for try in 0 1 2 3 4 5; do
    BMCSIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ic-it-$base.XXXXXX")
    if "$BMCSIM/start-fleet" $front "$n" "$base" >"$BMCSIM_DIR/start.log" 2>&1; then
      IC_FLEET_BASE=$base
      return 0
    fi
    if ! grep -q 'already in use' "$BMCSIM_DIR/start.log"; then
      cat "$BMCSIM_DIR/start.log"
      echo "cannot start bmcsim fleet"
      exit 1
    fi
    "$BMCSIM/stop-fleet" "$base" --clean >/dev/null 2>&1
    base=$((base + 137))
  done
  echo "cannot start bmcsim fleet: ports busy"
  exit 1
}
fleet_stop() {
  [ -n "${IC_FLEET_BASE:-}" ] && "$BMCSIM/stop-fleet" "$IC_FLEET_BASE" --clean >/dev/null 2>&1
  IC_FLEET_BASE=
}

# ic ARGS...: run the collector with the admin password from the environment.
ic() { IPMI_PASSWORD=${PW:-admin-secret} "$IC_BIN" "$@"; }

# json_get FIELD < json (top-level scalar, via python3: no jq dependency)
json_get() {
  python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("null" if v is None else v)' "$1"
}

# free_tcp: a TCP port nobody listens on now (the kernel's pick).
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
