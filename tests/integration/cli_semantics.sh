#!/usr/bin/env bash
# Integration: sensors, SEL, FRU, chassis, power and DCMI against
# ../shared/bmcsim, compared field by field with ipmitool (and FreeIPMI's
# ipmi-sensors); runtime changes (a sensor value, a new SEL event, power
# off/on) are seen.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
CMP="python3 $(dirname "$0")/compare.py"

fleet_start 9871 2 --front
BASE=$IC_FLEET_BASE
FRONT=$((BASE + 30000))
H=127.0.0.1
IT="ipmitool -I lanplus -H $H -U admin -P admin-secret -N 1 -R 2"
SIM="$BMCSIM/bmcsim -d $BMCSIM_DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; fleet_stop' EXIT

compare() { # NAME KIND FILES...
  local name=$1; shift
  if out=$($CMP "$@" 2>&1); then ok "$name (${out##*$'\n'})"; else bad "$name"; echo "$out" | grep FAIL | head -20; fi
}

# 1. sensors through suite 3 (ipmi_sim) and suite 17 (front) equal ipmitool and ipmi-sensors
for k in 1 2; do
  port=$((BASE + k - 1))
  ic sensors -H $H -p $port -U admin -E -C 3 --json >"$tmp/s$k.json"; rc=$?
  check "bmc$k sensors exit status" 0 "$rc"
  $IT -C 3 -p $port sensor list >"$tmp/it-s$k.txt"
  ipmi-sensors -D LAN_2_0 -h $H:$port -u admin -p admin-secret --no-header-output \
    --sdr-cache-directory "$tmp/fi-cache" >"$tmp/fi-s$k.txt" 2>/dev/null
  compare "bmc$k sensors equal ipmitool sensor list and ipmi-sensors" sensors \
    "$tmp/s$k.json" "$tmp/it-s$k.txt" "$tmp/fi-s$k.txt"
done
ic sensors -H $H -p $FRONT -U admin -E --json >"$tmp/s17.json"; rc=$?
check "sensors through suite 17" 0 "$rc"
compare "suite-17 sensors equal ipmitool" sensors "$tmp/s17.json" "$tmp/it-s1.txt" "$tmp/fi-s1.txt"
out=$(ic sensors -H $H -p $BASE -U admin -E -C 3)
check_match "text table: a threshold sensor" '^12V +\| Voltage +\| 12\.030 +\| Volts +\| ok' "$out"
check_match "text table: a discrete sensor in words" 'PSU1 Status.*Presence detected' "$out"
check_match "text table: no reading is na, not 0" 'GPU1 Temp +\| Temperature +\| na ' "$out"

# 2. a sensor changed at runtime is seen, with its state
$SIM set 1 "CPU1 Temp" 92 >/dev/null
$SIM set 1 "PSU1 Status" 0x0003 >/dev/null
sleep 2.5
ic sensors -H $H -p $BASE -U admin -E -C 3 --json >"$tmp/s1b.json"
got=$(python3 -c 'import json,sys; s={x["name"]:x for x in json.load(open(sys.argv[1]))}; c=s["CPU1 Temp"]; p=s["PSU1 Status"]; print(c["value"], c["state"], p["state"], ",".join(p["states"]))' "$tmp/s1b.json")
check_match "CPU1 Temp 92 is critical, PSU1 failure is critical" '^92(\.0)? critical critical .*Failure' "$got"
$IT -C 3 -p $BASE sensor list >"$tmp/it-s1b.txt"
ipmi-sensors -D LAN_2_0 -h $H:$BASE -u admin -p admin-secret --no-header-output \
  --sdr-cache-directory "$tmp/fi-cache" >"$tmp/fi-s1b.txt" 2>/dev/null
compare "changed sensors still equal ipmitool" sensors "$tmp/s1b.json" "$tmp/it-s1b.txt" "$tmp/fi-s1b.txt"

# 3. SEL equals ipmitool sel elist (the threshold crossings above added events)
ic sel list -H $H -p $BASE -U admin -E -C 3 --json >"$tmp/sel.json"; rc=$?
check "sel list exit status" 0 "$rc"
$IT -C 3 -p $BASE sel elist >"$tmp/it-sel.txt"
compare "SEL equals ipmitool sel elist" sel "$tmp/sel.json" "$tmp/it-sel.txt"
out=$(ic sel list -H $H -p $FRONT -U admin -E)
check_match "sel text through suite 17" 'CPU1 Temp.*Upper Critical going high' "$out"
out=$(ic sel info -H $H -p $BASE -U admin -E -C 3 --json)
want=$($IT -C 3 -p $BASE sel info | awk -F': ' '/^Entries/ {print $2}')
check "sel info entries equal ipmitool" "$want" "$(json_get entries <<<"$out")"

# 4. a follower sees a new event exactly once
last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["record_id"])' "$tmp/sel.json")
$SIM sel-add 1 Intrusion 0 >/dev/null
ic sel list -H $H -p $BASE -U admin -E -C 3 --json --after "$last" >"$tmp/new.json"
got=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(len(e), e[0]["sensor"] if e else "", e[0]["direction"] if e else "")' "$tmp/new.json")
check "one new event after --after" "1 Intrusion asserted" "$got"
last2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["record_id"])' "$tmp/new.json")
out=$(ic sel list -H $H -p $BASE -U admin -E -C 3 --json --after "$last2")
check "nothing new after the newest" "[]" "$(tr -d ' \n' <<<"$out")"

# 5. clear needs --yes; a cleared SEL is detected
ic sel clear -H $H -p $((BASE + 1)) -U admin -E -C 3 >/dev/null 2>&1; rc=$?
check "sel clear without --yes: exit 2" 2 "$rc"
out=$(ic sel clear -H $H -p $((BASE + 1)) -U admin -E -C 3 --yes); rc=$?
check "sel clear --yes" "0 SEL cleared" "$rc $out"
n=$($IT -C 3 -p $((BASE + 1)) sel info | awk -F': ' '/^Entries/ {print $2}')
check_match "ipmitool sees the SEL cleared (clear event only)" '^[01]$' "$n"
err=$(ic sel list -H $H -p $((BASE + 1)) -U admin -E -C 3 --after 5 2>&1 >/dev/null)
check_match "a cursor past a clear is reported" 'no longer in the SEL' "$err"

# 6. FRU equals ipmitool fru print (FRU 0 and the PSU FRU behind its locator)
ic fru -H $H -p $BASE -U admin -E -C 3 --json >"$tmp/fru.json"; rc=$?
check "fru exit status" 0 "$rc"
$IT -C 3 -p $BASE fru print >"$tmp/it-fru.txt" 2>/dev/null
compare "FRU equals ipmitool fru print" fru "$tmp/fru.json" "$tmp/it-fru.txt"
ic fru -H $H -p $FRONT -U admin -E --json >"$tmp/fru17.json"
compare "FRU through suite 17 equals ipmitool" fru "$tmp/fru17.json" "$tmp/it-fru.txt"

# 7. chassis status and power control, confirmed by ipmitool and the simulator
out=$(ic chassis status -H $H -p $BASE -U admin -E -C 3 --json)
check "chassis power on" on "$(json_get power <<<"$out")"
ic power off -H $H -p $BASE -U admin -E -C 3 >/dev/null 2>&1; rc=$?
check "power off without --yes: exit 2" 2 "$rc"
out=$(ic power off -H $H -p $BASE -U admin -E -C 3 --yes); rc=$?
check "power off confirmed" "0 Chassis power off: done, power is off" "$rc $out"
check "ipmitool sees power off" "Chassis Power is off" "$($IT -C 3 -p $BASE chassis power status)"
check "simulator state file says off" 0 "$(cat "$BMCSIM_DIR/bmc001/power")"
out=$(ic power status -H $H -p $FRONT -U admin -E)
check "power status through suite 17" "Chassis Power is off" "$out"
out=$(ic power on -H $H -p $BASE -U admin -E -C 3 --json); rc=$?
check "power on confirmed" "0 on" "$rc $(json_get power <<<"$out")"
check "simulator state file says on" 1 "$(cat "$BMCSIM_DIR/bmc001/power")"
out=$(ic power cycle -H $H -p $FRONT -U admin -E --yes); rc=$?
check "power cycle confirmed" "0 Chassis power cycle: done, power is on" "$rc $out"
err=$(PW=monitor-ro ic power off -H $H -p $BASE -U monitor -E -C 3 -L user --yes 2>&1); rc=$?
check "power off as a USER-level account: exit 10" 10 "$rc"
check_match "insufficient privilege named" 'd4' "$(tr 'A-Z' 'a-z' <<<"$err")"

# 8. DCMI power reading equals ipmitool's
out=$(ic dcmi power -H $H -p $BASE -U admin -E -C 3 --json); rc=$?
want=$($IT -C 3 -p $BASE dcmi power reading | awk '/Instantaneous/ {print $(NF-1)}')
check "dcmi power equals ipmitool" "0 $want" "$rc $(json_get current_watts <<<"$out")"

# 9. a BMC without DCMI (ipmi_sim without the bmcsim plugin): a clear "not supported"
fleet_stop
export BMCSIM_MODULE=0
fleet_start 9891 1
unset BMCSIM_MODULE
err=$(ic dcmi power -H $H -p "$IC_FLEET_BASE" -U admin -E -C 3 2>&1 >/dev/null); rc=$?
check "dcmi on a BMC without DCMI: exit 10" 10 "$rc"
check_match "dcmi on a BMC without DCMI: says not supported" 'not supported by this BMC' "$err"
rm -rf "$tmp"

finish
