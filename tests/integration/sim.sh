#!/usr/bin/env bash
# Integration: `ipmi-collector sim` read by independent clients (ipmitool
# -C 17 and -C 3, FreeIPMI) and by our own client: they work without
# errors and agree on every value; users, privileges and suites behave like
# a real BMC; --addr-base puts each BMC on its own loopback address.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
CMP="python3 $(dirname "$0")/compare.py"

tmp=$(mktemp -d)
mkdir -p "$tmp/fi"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT

# sim_start NAME ARGS...: starts a fleet, waits for its inventory (written once bound)
sim_start() {
  local name=$1; shift
  "$IC_BIN" sim --inventory "$tmp/$name.inv" "$@" 2>"$tmp/$name.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/$name.inv" ] && return 0; sleep 0.1; done
  cat "$tmp/$name.log"; echo "sim did not start"; exit 1
}
free_base() { # a base port with N free UDP ports after it
  local p=$1 n=$2
  while ss -uan | awk '{print $4}' | grep -Eq ":($(seq -s '|' $p $((p + n - 1))))\$"; do p=$((p + 100)); done
  echo $p
}

BASE=$(free_base 27001 3)
# --no-drift: ipmitool's read and ours a moment later must see the same values
sim_start main --bmcs 3 --listen 127.0.0.1:$BASE --no-drift
H=127.0.0.1
check "inventory lists 3 BMCs" 3 "$(grep -vc '^#' "$tmp/main.inv")"
check "inventory line" "bmc00002 127.0.0.1 $((BASE + 1)) admin admin-secret" "$(sed -n 3p "$tmp/main.inv")"

for suite in 17 3; do
  IT="ipmitool -I lanplus -C $suite -H $H -U admin -P admin-secret -N 1 -R 2"
  for cmd in "mc info" "mc guid" "sensor list" "sdr list" "sdr elist all" "sel list" "sel elist" \
    "fru print" "chassis status" "chassis power status" "dcmi power reading" "sel info"; do
    err=$($IT -p $BASE $cmd 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 0 ] && ! grep -qiE 'error|unable|fail' <<<"$err"; then ok "ipmitool -C $suite $cmd"
    else bad "ipmitool -C $suite $cmd: rc $rc: $(head -3 <<<"$err")"; fi
  done
  check "ipmitool -C $suite firmware of bmc1 (odd)" "2.47" "$($IT -p $BASE mc info | awk -F': ' '/^Firmware Revision/ {print $2}')"
  check "ipmitool -C $suite firmware of bmc2 (even)" "2.51" "$($IT -p $((BASE + 1)) mc info | awk -F': ' '/^Firmware Revision/ {print $2}')"
  check "ipmitool -C $suite board serial of bmc3" "BSN000003A" "$($IT -p $((BASE + 2)) fru print 0 | awk -F': ' '/Board Serial/ {print $2}')"
done

# FreeIPMI, suite 17 and 3
for suite in 17 3; do
  for tool in "ipmi-sensors --sdr-cache-directory $tmp/fi" "ipmi-sel --sdr-cache-directory $tmp/fi" \
    "ipmi-fru --sdr-cache-directory $tmp/fi" "bmc-info" "ipmi-chassis --get-chassis-status" \
    "ipmi-dcmi --get-system-power-statistics"; do
    out=$($tool -D LAN_2_0 -I $suite -h $H:$BASE -u admin -p admin-secret 2>&1); rc=$?
    [ $rc -eq 0 ] && ok "FreeIPMI -I $suite $tool" || bad "FreeIPMI -I $suite $tool: rc $rc: $(head -3 <<<"$out")"
  done
  out=$(ipmipower -D LAN_2_0 -I $suite -h $H:$BASE -u admin -p admin-secret --stat 2>&1)
  check_match "ipmipower -I $suite --stat" ': on$' "$out"
done

# our client and ipmitool/FreeIPMI agree on every sensor, SEL entry and FRU field
for k in 1 2; do
  port=$((BASE + k - 1))
  ic sensors -H $H -p $port -U admin -E --json >"$tmp/s$k.json"
  ipmitool -I lanplus -C 17 -H $H -p $port -U admin -P admin-secret sensor list >"$tmp/it$k.txt"
  ipmi-sensors -D LAN_2_0 -I 17 -h $H:$port -u admin -p admin-secret --no-header-output \
    --sdr-cache-directory "$tmp/fi" >"$tmp/fi$k.txt" 2>/dev/null
  if out=$($CMP sensors "$tmp/s$k.json" "$tmp/it$k.txt" "$tmp/fi$k.txt"); then ok "bmc$k sensors: ours = ipmitool = ipmi-sensors (${out##*$'\n'})"
  else bad "bmc$k sensors differ"; grep FAIL <<<"$out" | head; fi
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/s$k.json")
  [ "$n" -ge 35 ] && ok "bmc$k has $n sensors (a 1U server: ~40)" || bad "bmc$k has only $n sensors"
done
ic sel list -H $H -p $BASE -U admin -E --json >"$tmp/sel.json"
ipmitool -I lanplus -C 17 -H $H -p $BASE -U admin -P admin-secret sel elist >"$tmp/sel.txt"
if out=$($CMP sel "$tmp/sel.json" "$tmp/sel.txt"); then ok "SEL: ours = ipmitool (${out##*$'\n'})"; else bad "SEL differs"; grep FAIL <<<"$out" | head; fi
ic fru -H $H -p $BASE -U admin -E --json >"$tmp/fru.json"
ipmitool -I lanplus -C 17 -H $H -p $BASE -U admin -P admin-secret fru print >"$tmp/fru.txt" 2>/dev/null
if out=$($CMP fru "$tmp/fru.json" "$tmp/fru.txt"); then ok "FRU: ours = ipmitool (${out##*$'\n'})"; else bad "FRU differs"; grep FAIL <<<"$out" | head; fi

# users, privileges, suites
IT17="ipmitool -I lanplus -C 17 -H $H -p $BASE -N 1 -R 1"
out=$($IT17 -U monitor -P monitor-ro -L USER chassis power off 2>&1)
check_match "USER-level power off: insufficient privilege (0xD4)" 'Insufficient privilege' "$out"
err=$(PW=monitor-ro ic power off -H $H -p $BASE -U monitor -E -L user --yes 2>&1); rc=$?
check "our client: 0xD4 is exit 10" 10 "$rc"
check_match "our client names 0xd4" 'd4' "$(tr 'A-Z' 'a-z' <<<"$err")"
$IT17 -U admin -P wrong-password mc info >/dev/null 2>&1 && bad "wrong password accepted" || ok "ipmitool: wrong password refused"
err=$(PW=wrong-password ic bmc info -H $H -p $BASE -U admin -E 2>&1); rc=$?
check "our client: wrong password exit 3" 3 "$rc"
err=$(PW=olduser-pw ic bmc info -H $H -p $BASE -U olduser -E 2>&1); rc=$?
check "disabled user: exit 4" 4 "$rc"
err=$(PW=monitor-ro ic bmc info -H $H -p $BASE -U monitor -E 2>&1); rc=$?
check "monitor at ADMINISTRATOR: exit 5" 5 "$rc"
out=$(PW=operator-password-20 ic power cycle -H $H -p $((BASE + 2)) -U operator -E -L operator --yes); rc=$?
check "operator power cycle, confirmed" "0 Chassis power cycle: done, power is on" "$rc $out"
$IT17 -U admin -P admin-secret -C 0 mc info >/dev/null 2>&1 && bad "suite 0 accepted" || ok "suite 0 refused by default"
out=$(ic bmc info -H $H -p $BASE -U admin -E -C auto --json); check "-C auto picks 17" 17 "$(json_get cipher_suite <<<"$out")"
out=$(ic bmc info -H $H -p $BASE -U admin -E -C 3 --json); check "suite 3 works" 3 "$(json_get cipher_suite <<<"$out")"

# power state: off and on through ipmitool, seen by our client
ipmitool -I lanplus -C 17 -H $H -p $((BASE + 1)) -U admin -P admin-secret chassis power off >/dev/null
check "ipmitool power off, seen by us" "Chassis Power is off" "$(ic power status -H $H -p $((BASE + 1)) -U admin -E)"
ipmitool -I lanplus -C 3 -H $H -p $((BASE + 1)) -U admin -P admin-secret chassis power on >/dev/null
check "ipmitool power on, seen by us" "Chassis Power is on" "$(ic power status -H $H -p $((BASE + 1)) -U admin -E)"

# --addr-base: one port, consecutive loopback addresses
sim_start addr --bmcs 3 --addr-base 127.21.0.1 --port 16230
check "addr-base inventory" "bmc00003 127.21.0.3 16230 admin admin-secret" "$(sed -n 4p "$tmp/addr.inv")"
out=$(ipmitool -I lanplus -C 17 -H 127.21.0.2 -p 16230 -U admin -P admin-secret mc info | awk -F': ' '/^Firmware Revision/ {print $2}')
check "ipmitool on the second address" 2.51 "$out"
out=$(ic bmc info -H 127.21.0.3 -p 16230 -U admin -E --json)
check "our client on the third address" 2.47 "$(json_get firmware_revision <<<"$out")"

# a session left idle past the sim's --timeout is re-established by our client
BASE2=$(free_base 27101 1)
sim_start short --bmcs 1 --listen 127.0.0.1:$BASE2 --timeout 3
"$IC_SESSIONTOOL" idle 127.0.0.1 "$BASE2" 17 5 >"$tmp/idle.txt" 2>&1 && ok "idle session re-established (sim --timeout 3)" || { bad "idle re-establishment"; cat "$tmp/idle.txt"; }

# a fleet file (config/sim-fleet.yml): what independent clients print is the file's values
BASE3=$(free_base 27151 2)
mkdir -p "$tmp/fi3"
sim_start fleet --bmcs 2 --listen 127.0.0.1:$BASE3 --fleet "$IC_ROOT/config/sim-fleet.yml"
IF="ipmitool -I lanplus -C 17 -H $H -U admin -P admin-secret -N 1 -R 2"
check "fleet file: firmware of an odd BMC" "3.10" "$($IF -p $BASE3 mc info | awk -F': ' '/^Firmware Revision/ {print $2}')"
check "fleet file: firmware of an even BMC" "3.14" "$($IF -p $((BASE3 + 1)) mc info | awk -F': ' '/^Firmware Revision/ {print $2}')"
line=$($IF -p $((BASE3 + 1)) sensor list | grep '^CPU1 Temp' | tr -s ' ')
check_match "fleet file: CPU1 Temp 55 with UNC 80 UC 85 UNR 90 (ipmitool)" '^CPU1 Temp \| 55\.000 \| degrees C \| ok \| na \| na \| na \| 80\.000 \| 85\.000 \| 90\.000' "$line"
out=$(ipmi-sensors -D LAN_2_0 -I 17 -h $H:$BASE3 -u admin -p admin-secret --sdr-cache-directory "$tmp/fi3" 2>&1 | grep 'CPU1 Temp')
check_match "fleet file: CPU1 Temp 55 (ipmi-sensors)" '\| 55\.00 +\| C ' "$out"
check_match "fleet file: FRU board manufacturer" 'Board Mfg +: ACME Servers' "$($IF -p $BASE3 fru print 0)"
check_match "fleet file: FRU product name" 'Product Name +: ACME 1U' "$($IF -p $BASE3 fru print 0)"
ipmitool -I lanplus -C 17 -H $H -p $BASE3 -U viewer -P viewer-secret -L USER mc info >/dev/null 2>&1
check "fleet file: its user viewer logs in at USER" 0 "$?"
ipmitool -I lanplus -C 16 -H $H -p $BASE3 -U admin -P admin-secret -N 1 -R 1 mc info >/dev/null 2>&1 && bad "suite 16 offered though the file says [17, 3]" || ok "fleet file: suite 16 not offered"
mkdir -p "$tmp/bad"
printf 'users:\n  - {name: admin, passwrd: x}\n' >"$tmp/bad/fleet.yml"
err=$("$IC_BIN" sim --bmcs 1 --listen 127.0.0.1:$((BASE3 + 5)) --fleet "$tmp/bad/fleet.yml" 2>&1); rc=$?
check "broken fleet file: exit 2" 2 "$rc"
check_match "broken fleet file: file:line:column and the key" 'fleet.yml:2:[0-9]+: unknown key .passwrd.' "$err"

# the MD5 suites (opt-in on both sides): our client, FreeIPMI and ipmitool agree
BASE4=$(free_base 27171 1)
sim_start weak --bmcs 1 --listen 127.0.0.1:$BASE4 --offer-weak-suites
for s in 6 7 8 11 12; do
  out=$(ic bmc info -H $H -p $BASE4 -U admin -E -C $s --insecure-allow-weak-suites --json); rc=$?
  check "our client, suite $s (MD5)" "0 2.47 $s" "$rc $(json_get firmware_revision <<<"$out") $(json_get cipher_suite <<<"$out")"
  out=$(bmc-info -D LAN_2_0 -I $s -h $H:$BASE4 -u admin -p admin-secret --get-device-id 2>&1 | awk -F': ' '/^Firmware Revision/ {print $2}')
  check "FreeIPMI bmc-info -I $s" 2.47 "$out"
done
for s in 6 7 8; do # ipmitool 1.8.19 itself aborts on suites 11 and 12
  out=$(ipmitool -I lanplus -C $s -H $H -p $BASE4 -U admin -P admin-secret -N 1 -R 2 mc info | awk -F': ' '/^Firmware Revision/ {print $2}')
  check "ipmitool -C $s" 2.47 "$out"
done
ic bmc info -H $H -p $BASE4 -U admin -E -C 7 >/dev/null 2>&1
check "suite 7 without --insecure-allow-weak-suites: exit 6" 6 "$?"

# stop by signal: the sim reports what it served
kill -TERM "${pids[0]}"; wait "${pids[0]}"; rc=$?
check "sim stops cleanly on SIGTERM" 0 "$rc"
check_match "sim reports its counters" 'stopped: [0-9]+ datagrams' "$(cat "$tmp/main.log")"

finish
