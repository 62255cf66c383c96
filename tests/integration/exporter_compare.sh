#!/usr/bin/env bash
# Integration: our daemon's /ipmi against the real prometheus-community
# ipmi_exporter (Debian prometheus-ipmi-exporter 1.6.1, which runs FreeIPMI)
# on the same BMCs, family by family: the same family names, TYPE, label sets
# and values (ipmi_scrape_duration_seconds: present in both, value ignored).
# Ours is asked by target name and by host:port, the exporter by host:port.
# BMCs: `ipmi-collector sim` (3 BMCs), then one critical sensor, then one
# paused (unreachable) BMC; and ../shared/bmcsim (OpenIPMI ipmi_sim, suite 3).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
COMPARE="python3 $(dirname "$0")/compare_prom.py --ignore-value ipmi_scrape_duration_seconds"
PROMGET="python3 $(dirname "$0")/promget.py"
EXPORTER=${IC_IPMI_EXPORTER:-/usr/bin/prometheus-ipmi-exporter}

tmp=$(mktemp -d)
pids=()
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  fleet_stop
  rm -rf "$tmp"
}
trap cleanup EXIT

[ -x "$EXPORTER" ] || { bad "$EXPORTER not installed (Debian package prometheus-ipmi-exporter)"; finish; exit 1; }

free_udp_base() { # a base port with N free UDP ports after it
  local p=$1 n=$2
  while ss -uan | awk '{print $4}' | grep -Eq ":($(seq -s '|' $p $((p + n - 1))))\$"; do p=$((p + 100)); done
  echo $p
}
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the BMCs: our simulator and an OpenIPMI ipmi_sim fleet -----------------------
N=3
BASE=$(free_udp_base 28401 $((N + 2)))
CTL=$(free_tcp)
"$IC_BIN" sim --bmcs $N --listen 127.0.0.1:$BASE --control 127.0.0.1:$CTL --no-drift \
  --inventory "$tmp/inv" 2>"$tmp/sim.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/inv" ] && break; sleep 0.1; done
[ -s "$tmp/inv" ] || { cat "$tmp/sim.log"; echo "sim did not start"; exit 1; }
SIMCTL="$IC_BIN simctl --control http://127.0.0.1:$CTL"

NF=2
fleet_start 23451 $NF
trap cleanup EXIT # fleet_start sets its own trap; ours stops the fleet too
FBASE=$IC_FLEET_BASE

# --- the real exporter ---------------------------------------------------------------
EXP_PORT=$(free_tcp)
cat >"$tmp/exporter.yml" <<EOF
modules:
  default:
    user: admin
    pass: admin-secret
    driver: LAN_2_0
    privilege: admin
    timeout: 10000
    collectors: [bmc, ipmi, chassis, dcmi, sel]
EOF
"$EXPORTER" --config.file="$tmp/exporter.yml" --web.listen-address=127.0.0.1:$EXP_PORT \
  >"$tmp/exporter.log" 2>&1 &
pids+=($!)
EXP=http://127.0.0.1:$EXP_PORT
for _ in $(seq 100); do curl -sf -o /dev/null "$EXP/" && break; sleep 0.1; done
curl -sf -o /dev/null "$EXP/" || { cat "$tmp/exporter.log"; echo "ipmi_exporter did not start"; exit 1; }

# --- our daemon: the same BMCs by address ----------------------------------------------
HTTP=$(free_tcp)
export BMC_PASSWORD=admin-secret
{
  cat <<EOF
global:
  listen: 127.0.0.1:$HTTP
  database: $tmp/collector.db
  interval: 1s
  timeout: 300ms
  retries: 2
  poller_threads: 2
  log_level: info
profiles:
  s17:
    user: admin
    password_env: BMC_PASSWORD
    cipher_suite: 17
    privilege: administrator
  s3:
    user: admin
    password_env: BMC_PASSWORD
    cipher_suite: 3
    privilege: administrator
    timeout: 1s
targets:
EOF
  for k in $(seq $N); do
    # bmc03 over suite 3, as the exporter (FreeIPMI's default); the others over 17
    printf '  - {name: bmc%02d, address: "127.0.0.1:%d", profile: %s, collectors: [sensors, sel, fru, chassis, dcmi]}\n' \
      "$k" $((BASE + k - 1)) "$([ "$k" = 3 ] && echo s3 || echo s17)"
  done
  for k in $(seq $NF); do
    printf '  - {name: osim%d, address: "127.0.0.1:%d", profile: s3, collectors: [sensors, sel, fru, chassis, dcmi]}\n' \
      "$k" $((FBASE + k - 1))
  done
} >"$tmp/collector.yml"
"$IC_BIN" daemon -c "$tmp/collector.yml" 2>>"$tmp/daemon.log" &
daemon_pid=$!
URL=http://127.0.0.1:$HTTP
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] && break
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] ||
  { cat "$tmp/daemon.log"; echo "daemon did not become ready"; exit 1; }

ours() { curl -sf "$URL/ipmi?target=$1&module=default"; }
theirs() { curl -sf --max-time 150 "$EXP/ipmi?target=$1&module=default"; }
# up_of TEXT COLLECTOR: ipmi_up{collector=COLLECTOR} in an exposition
up_of() { $PROMGET ipmi_up "collector=$2" <<<"$1"; }
# wait_ours SECONDS WANT TARGET FAMILY LABELS...: until our /ipmi has the value
wait_ours() {
  local t=$1 want=$2 tg=$3 got=
  shift 3
  for _ in $(seq $((t * 10))); do
    got=$(ours "$tg" | $PROMGET "$@")
    [ "$got" = "$want" ] && break
    sleep 0.1
  done
  echo "$got"
}

# compare WHAT NAME ADDR: the exporter's /ipmi for ADDR against ours for NAME and for ADDR.
# Ours is the last poll (interval 1 s) and the exporter's a fresh one, so a
# state change can land between them: a difference is looked at again (up
# to 3 times, 2 s apart) and only one that stays is a failure.
compare() {
  local what=$1 name=$2 addr=$3 f line try
  for try in 1 2 3; do
    : >"$tmp/verdict.txt"
    theirs "$addr" >"$tmp/theirs.txt" || echo "bad	$what: the exporter's /ipmi answers" >>"$tmp/verdict.txt"
    ours "$name" >"$tmp/ours_name.txt" || echo "bad	$what: our /ipmi?target=$name answers" >>"$tmp/verdict.txt"
    ours "$addr" >"$tmp/ours_addr.txt" || echo "bad	$what: our /ipmi?target=$addr answers" >>"$tmp/verdict.txt"
    for f in ours_name ours_addr; do
      $COMPARE "$what, ours by ${f#ours_}" "$tmp/theirs.txt" "$tmp/$f.txt" >>"$tmp/verdict.txt"
    done
    grep -q '^bad' "$tmp/verdict.txt" || break
    [ "$try" = 3 ] && break
    echo "     ($what: differences on try $try, looking again in 2 s:)"
    grep -v '^ok' "$tmp/verdict.txt" | sed 's/^bad\t/       /'
    sleep 2
  done
  while IFS= read -r line; do
    case $line in
    ok$'\t'*) ok "${line#ok$'\t'}" ;;
    bad$'\t'*) bad "${line#bad$'\t'}" ;;
    *) echo "$line" ;;
    esac
  done <"$tmp/verdict.txt"
  cp "$tmp/theirs.txt" "$tmp/last_theirs.txt"
}

# --- 1: the built-in simulator, every BMC ----------------------------------------------
for k in $(seq $N); do
  name=$(printf bmc%02d $k)
  addr=127.0.0.1:$((BASE + k - 1))
  compare "sim $name" "$name" "$addr"
  # not two failures that agree: the exporter did reach the BMC
  check "sim $name: the exporter's collectors all up" "1 1 1 1 1" \
    "$(for c in bmc chassis dcmi ipmi sel; do up_of "$(cat "$tmp/last_theirs.txt")" $c; done | xargs)"
done

# --- 2: one sensor critical --------------------------------------------------------------
$SIMCTL set 1 "CPU1 Temp" 95 >/dev/null || bad "simctl set"
got=$(wait_ours 15 2 bmc01 ipmi_temperature_state "name=CPU1 Temp")
check "sim bmc01: our daemon sees CPU1 Temp critical" 2 "$got"
sleep 2.5 # a SEL event may follow the crossing; let our next poll see it too
compare "sim bmc01 critical" bmc01 127.0.0.1:$BASE
check "sim bmc01 critical: the exporter's CPU1 Temp state" 2 \
  "$($PROMGET ipmi_temperature_state "name=CPU1 Temp" <"$tmp/last_theirs.txt")"

# --- 2b: warnings, lower thresholds and discrete states (FreeIPMI's interpretation) ----
# CPU2 Temp over its upper non-critical, Inlet Temp under its lower critical, FAN2 slow;
# discrete: PSU failure, chassis intrusion, CPU IERR, correctable ECC (the shared
# record's first instance), drive fault.
for sv in "CPU2 Temp=87" "Inlet Temp=-7" "FAN2=500" "PSU1 Status=3" "Intrusion=1" \
  "CPU1 Status=129" "DIMM =65" "Drive 0=3"; do
  $SIMCTL set 3 "${sv%%=*}" "${sv#*=}" >/dev/null || bad "simctl set 3 $sv"
done
# /metrics keeps our own judgement (1 = warning) of a non-critical crossing
got=
for _ in $(seq 150); do
  got=$(curl -sf "$URL/metrics" | $PROMGET ipmi_temperature_state target=bmc03 "name=CPU2 Temp")
  [ "$got" = 1 ] && break
  sleep 0.1
done
check "sim bmc03: our daemon sees CPU2 Temp past its non-critical threshold" 1 "$got"
sleep 2.5
compare "sim bmc03 states" bmc03 127.0.0.1:$((BASE + 2))
check "sim bmc03 states: the exporter reads CPU2 Temp 87" 87 \
  "$($PROMGET ipmi_temperature_celsius "name=CPU2 Temp" <"$tmp/last_theirs.txt")"
check "sim bmc03 states: the exporter has PSU1 Status critical" 2 \
  "$($PROMGET ipmi_sensor_state "name=PSU1 Status" <"$tmp/last_theirs.txt")"

# --- 3: one BMC unreachable ----------------------------------------------------------------
$SIMCTL pause 2 >/dev/null || bad "simctl pause"
got=$(wait_ours 30 0 bmc02 ipmi_up collector=ipmi)
check "sim bmc02 paused: our daemon reports it down" 0 "$got"
compare "sim bmc02 paused" bmc02 127.0.0.1:$((BASE + 1))
check "sim bmc02 paused: the exporter's collectors all down" "0 0 0 0 0" \
  "$(for c in bmc chassis dcmi ipmi sel; do up_of "$(cat "$tmp/last_theirs.txt")" $c; done | xargs)"
$SIMCTL resume 2 >/dev/null

# --- 4: OpenIPMI ipmi_sim BMCs ---------------------------------------------------------------
for k in $(seq $NF); do
  addr=127.0.0.1:$((FBASE + k - 1))
  wait_ours 20 1 osim$k ipmi_up collector=ipmi >/dev/null
  compare "ipmi_sim osim$k" "osim$k" "$addr"
  t=$(cat "$tmp/last_theirs.txt")
  check "ipmi_sim osim$k: the exporter's bmc, chassis, ipmi, sel collectors up" "1 1 1 1" \
    "$(for c in bmc chassis ipmi sel; do up_of "$t" $c; done | xargs)"
  echo "     (ipmi_sim osim$k: dcmi collector up = $(up_of "$t" dcmi) in the exporter)"
done

kill -TERM "$daemon_pid"
wait "$daemon_pid"
check "daemon: clean exit" 0 "$?"
daemon_pid=
grep -E 'ERROR|AddressSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer or error lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log (last 30 lines)"; tail -30 "$tmp/daemon.log"; }
finish
