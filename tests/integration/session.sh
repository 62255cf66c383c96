#!/usr/bin/env bash
# Integration: the session core held open, idle, and under hostile packets,
# against ../shared/bmcsim. usage: session.sh hold|idle|tamper
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${IC_SESSIONTOOL:?}"
export IPMI_PASSWORD=admin-secret
case "${1:-}" in
hold)
  # 100 sessions to 10 ipmi_sim BMCs (30 s inactivity timeout) for a minute.
  fleet_start 9831 10
  "$IC_SESSIONTOOL" hold 127.0.0.1 "$IC_FLEET_BASE" 10 10 "${IC_HOLD_SECONDS:-60}" 3
  ;;
idle)
  # The RMCP+ front closes sessions idle for 4 s; we stay idle for 7 s.
  export BMCSIM_FRONT_TIMEOUT=4
  fleet_start 9851 1 --front
  "$IC_SESSIONTOOL" idle 127.0.0.1 $((IC_FLEET_BASE + 30000)) 17 7 &&
    "$IC_SESSIONTOOL" idle 127.0.0.1 $((IC_FLEET_BASE + 30000)) 3 7
  ;;
sdrcache)
  fleet_start 9881 1 --front
  "$IC_SESSIONTOOL" sdrcache 127.0.0.1 "$IC_FLEET_BASE" 3 &&
    "$IC_SESSIONTOOL" sdrcache 127.0.0.1 $((IC_FLEET_BASE + 30000)) 17 &&
    "$IC_SESSIONTOOL" quirks 127.0.0.1 "$IC_FLEET_BASE"
  ;;
tamper)
  fleet_start 9861 1 --front
  "$IC_SESSIONTOOL" tamper 127.0.0.1 "$IC_FLEET_BASE" 3 &&
    "$IC_SESSIONTOOL" tamper 127.0.0.1 $((IC_FLEET_BASE + 30000)) 17
  ;;
*)
  echo "usage: $0 hold|idle|tamper|sdrcache"; exit 2 ;;
esac
