#!/usr/bin/env bash
# Integration: our client against `ipmi-collector sim` with faults injected
# through its control endpoint: packet loss, latency with jitter, a hostile
# BMC answering malformed packets, a paused BMC, a rebooted BMC; and the
# control endpoint itself (sensor values raise SEL events, SEL records,
# power, errors).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; rm -rf "$tmp"' EXIT
free_port() { local p=$1; while ss -uatn | awk '{print $4}' | grep -Eq ":$p\$"; do p=$((p + 7)); done; echo $p; }

BASE=$(free_port 27401); CTL=$(free_port 27490)
"$IC_BIN" sim --bmcs 6 --listen 127.0.0.1:$BASE --control 127.0.0.1:$CTL --inventory "$tmp/inv" 2>"$tmp/sim.log" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$tmp/inv" ] && break; sleep 0.1; done
C="$IC_BIN simctl --control http://127.0.0.1:$CTL"
H=127.0.0.1
export IPMI_PASSWORD=admin-secret

# faults: bmc1 hostile, bmc2 30 % loss, bmc3 150 +- 100 ms latency, suites 17 and 3
$C faults --bmcs 1 --hostile on >/dev/null && ok "hostile mode set" || bad "hostile mode"
$C faults --bmcs 2 --loss 0.3 >/dev/null && ok "loss set" || bad "loss"
$C faults --bmcs 3 --latency 150 --jitter 100 >/dev/null && ok "latency set" || bad "latency"
for suite in 17 3; do
  for f in "1 hostile" "2 loss" "3 latency"; do
    set -- $f
    out=$("$IC_SESSIONTOOL" faults $H $((BASE + $1 - 1)) $suite 40 $2); rc=$?
    [ $rc -eq 0 ] && ok "suite $suite, $2: $(grep -c '^ok' <<<"$out") checks" || { bad "suite $suite, $2"; echo "$out" | grep -v '^ok'; }
  done
done
# pipelining (max_inflight 8): a clean BMC, answers out of order (jitter), losses
for f in "6 clean" "3 jitter" "2 loss"; do
  set -- $f
  out=$([ "$2" = loss ] && export IC_EXPECT_BACKOFF=1; "$IC_SESSIONTOOL" pipeline $H $((BASE + $1 - 1)) 17 8); rc=$?
  [ $rc -eq 0 ] && ok "pipelined sweep, $2: $(grep -c '^ok' <<<"$out") checks $(grep -o '(pipelined.*)' <<<"$out")" ||
    { bad "pipelined sweep, $2"; echo "$out" | grep -v '^ok'; }
done
out=$(ic sensors -H $H -p $BASE -U admin -E --json); rc=$?
check "sensors of the hostile BMC: exit 0" 0 "$rc"
want=$(ic sensors -H $H -p $((BASE + 5)) -U admin -E --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "every sensor read through the hostile BMC (as many as a healthy one)" "$want" "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")"
out=$(ic sensors -H $H -p $((BASE + 1)) -U admin -E -N 0.3 -R 6 --json); rc=$?
check "sensors through 30 % loss: exit 0" 0 "$rc"
st=$($C stats)
check_match "the sim counted hostile packets and losses" '"dropped_by_fault":[1-9][0-9]*.*"hostile_sent":[1-9]' "$st"
$C faults --bmcs all --hostile off --loss 0 --latency 0 --jitter 0 >/dev/null

# pause: no answer, documented exit status; resume: answers again
$C pause 4 >/dev/null
err=$(ic bmc info -H $H -p $((BASE + 3)) -U admin -E -N 0.2 -R 2 2>&1 >/dev/null); rc=$?
check "paused BMC: exit 7" 7 "$rc"
$C resume 4 >/dev/null
ic bmc info -H $H -p $((BASE + 3)) -U admin -E >/dev/null; check "resumed BMC answers" 0 "$?"

# reboot while a session is held: the next request re-establishes it
( sleep 1; $C reboot 5 >/dev/null ) &
rebooter=$!
out=$("$IC_SESSIONTOOL" idle $H $((BASE + 4)) 17 3); rc=$?
wait $rebooter
check "session re-established after a BMC reboot" 0 "$rc"
[ $rc -eq 0 ] || echo "$out"

# control endpoint: values, events, power, errors
$C set 6 "CPU1 Temp" 92 >/dev/null
got=$(ic sensors -H $H -p $((BASE + 5)) -U admin -E --json | python3 -c 'import json,sys; s={x["name"]:x for x in json.load(sys.stdin)}["CPU1 Temp"]; print(s["value"], s["state"])')
check "a value set through the endpoint is read by the client" "92 critical" "$got"
n=$(ic sel list -H $H -p $((BASE + 5)) -U admin -E --json | python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin) if e["sensor"]=="CPU1 Temp" and e["direction"]=="asserted" and "going high" in e["event"]))')
check_match "crossing UNC and UC logged both events" '^([2-9]|[1-9][0-9]+)$' "$n"
out=$($C sel-add 6 Intrusion 0); check_match "sel-add answers the record ID" '"record_id":[0-9]+' "$out"
last=$(ic sel list -H $H -p $((BASE + 5)) -U admin -E --json | python3 -c 'import json,sys; e=json.load(sys.stdin)[-1]; print(e["sensor"], e["event"], e["direction"])')
check "the added event is the newest entry" "Intrusion General Chassis intrusion asserted" "$last"
$C power 6 off >/dev/null
check "power off through the endpoint, seen by the client" "Chassis Power is off" "$(ic power status -H $H -p $((BASE + 5)) -U admin -E)"
$C set 6 "No Such Sensor" 1 >/dev/null 2>&1; check "unknown sensor: exit 2 (HTTP 404)" 2 "$?"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{not json' http://127.0.0.1:$CTL/bmcs/1/sensor)
check "malformed JSON: HTTP 400" 400 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$CTL/bmcs/99)
check "no such BMC: HTTP 404" 404 "$code"
finish
