#!/usr/bin/env bash
# Integration (issue 7): the daemon's alerts, end to end. `ipmi-collector sim`
# BMCs, the daemon with an alerting section, a real Alertmanager (Debian's
# prometheus-alertmanager) and a test webhook receiver (receiver.py) on
# loopback:
#   - a temperature pushed over its critical threshold and a SEL event both
#     reach Alertmanager with the right labels; the temperature alert
#     resolves when it drops back
#   - the webhook receiver fails the first requests, then goes away, then
#     returns: every alert arrives, signed, none twice with different keys,
#     in the order raised per target
#   - the daemon killed with SIGKILL with alerts pending delivers them after
#     a restart
#   - a sensor flapping at its threshold gives one alert and one resolution
set -uo pipefail
. "$(dirname "$0")/lib.sh"
PROMGET="python3 $(dirname "$0")/promget.py"
RECEIVER="python3 $(dirname "$0")/receiver.py"

tmp=$(mktemp -d)
pids=()
daemon_pid=
rcv_pid=
cleanup() {
  for p in $daemon_pid $rcv_pid "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_base() {
  local p=$1 n=$2
  while ss -uan | awk '{print $4}' | grep -Eq ":($(seq -s '|' $p $((p + n - 1))))\$"; do p=$((p + 100)); done
  echo $p
}

AM=$(command -v prometheus-alertmanager || true)
[ -n "$AM" ] || { bad "prometheus-alertmanager is not installed (scripts/deps.sh installs it)"; finish; exit 1; }

BASE=$((22001 + RANDOM % 50 * 100)) # below the ephemeral port range
for try in 1 2 3 4 5; do
  BASE=$(free_udp_base $BASE 4)
  CTL=$(free_tcp)
  "$IC_BIN" sim --bmcs 2 --listen 127.0.0.1:$BASE --control 127.0.0.1:$CTL --no-drift \
    --inventory "$tmp/inv" 2>"$tmp/sim.log" &
  sim_pid=$!
  for _ in $(seq 100); do [ -s "$tmp/inv" ] && break; kill -0 $sim_pid 2>/dev/null || break; sleep 0.1; done
  [ -s "$tmp/inv" ] && break
  wait $sim_pid 2>/dev/null
  BASE=$((BASE + 100))
done
pids+=($sim_pid)
[ -s "$tmp/inv" ] || { cat "$tmp/sim.log"; echo "sim did not start"; exit 1; }
SIMCTL="$IC_BIN simctl --control http://127.0.0.1:$CTL"
HTTP=$(free_tcp)
AMPORT=$(free_tcp)
HOOK=$(free_tcp)
URL=http://127.0.0.1:$HTTP

mkdir -p "$tmp/am"
printf 'route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n' >"$tmp/am/am.yml"
"$AM" --config.file="$tmp/am/am.yml" --storage.path="$tmp/am" \
  --web.listen-address="127.0.0.1:$AMPORT" --cluster.listen-address= >"$tmp/am/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$AMPORT/-/ready" && break; sleep 0.1; done

export BMC_PASSWORD=admin-secret HOOK_SECRET=hook-signing-secret
cat >"$tmp/collector.yml" <<EOF
global:
  listen: 127.0.0.1:$HTTP
  database: $tmp/collector.db
  interval: 1s
  timeout: 200ms
  retries: 2
profiles:
  admin:
    user: admin
    password_env: BMC_PASSWORD
    cipher_suite: 17
    privilege: administrator
targets:
  - name: "bmc[01-02]"
    address: "127.0.0.1:[$BASE-$((BASE + 1))]"
    labels: {rack: r7}
    collectors: [sensors, sel, chassis]
alerting:
  debounce: 3
  unreachable_after: 3s
  receivers:
    - name: ops-hook
      type: webhook
      url: http://127.0.0.1:$HOOK/hook
      secret_env: HOOK_SECRET
      max_age: 10m
    - name: am
      type: alertmanager
      url: http://127.0.0.1:$AMPORT
      resend: 10s
  routes:
    - receiver: ops-hook
    - receiver: am
      match: {severity: [warning, critical]}
EOF

rcv_start() { # [--fail-first N]
  $RECEIVER --port $HOOK --log "$tmp/hook.log" --secret "$HOOK_SECRET" --state "$tmp/hook.state" "$@" \
    2>>"$tmp/hook.err" &
  rcv_pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$HOOK/" && return 0; sleep 0.1; done
  echo "receiver did not start"; cat "$tmp/hook.err"; exit 1
}
rcv_stop() { kill "$rcv_pid" 2>/dev/null; wait "$rcv_pid" 2>/dev/null; rcv_pid=; }
daemon_start() {
  "$IC_BIN" daemon -c "$tmp/collector.yml" 2>>"$tmp/daemon.log" &
  daemon_pid=$!
  for _ in $(seq 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] && return 0
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$tmp/daemon.log"; echo "daemon did not become ready"; exit 1
}
# hook PYTHON-EXPRESSION over b = the list of webhook bodies received with 2xx, in order
hook() {
  python3 - "$tmp/hook.log" "$1" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])] if __import__("os").path.exists(sys.argv[1]) else []
ok = [r for r in recs if r["status"] < 300]
b = [json.loads(r["body"]) for r in ok]
allrecs = recs
print(eval(sys.argv[2]))
PY
}
# wait_hook SECONDS EXPECTED EXPR
wait_hook() {
  local v=
  for _ in $(seq $(($1 * 10))); do v=$(hook "$3"); [ "$v" = "$2" ] && break; sleep 0.1; done
  echo "$v"
}
amq() { curl -sf "http://127.0.0.1:$AMPORT/api/v2/alerts" | python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
wait_am() { # SECONDS EXPECTED EXPR
  local v=
  for _ in $(seq $(($1 * 10))); do v=$(amq "$3" 2>/dev/null); [ "$v" = "$2" ] && break; sleep 0.1; done
  echo "$v"
}

# ---- 1. a critical temperature and a SEL event reach Alertmanager; the temperature resolves ----
rcv_start --fail-first 3
daemon_start
$SIMCTL set 1 "CPU1 Temp" 92 >/dev/null # above upper critical, below non-recoverable
temp_am='[a for a in j if a["labels"].get("alertname") == "IPMISensorState" and a["labels"].get("sensor") == "CPU1 Temp"]'
check "Alertmanager: CPU1 Temp critical on bmc01" "bmc01 critical r7" \
  "$(wait_am 20 "bmc01 critical r7" "' '.join(($temp_am)[0]['labels'][k] for k in ('target','severity','rack')) if $temp_am else ''")"
thr=$(ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $BASE -U admin -P admin-secret sensor get "CPU1 Temp" |
  awk -F': ' '/^ *Upper Critical *:/{gsub(/ /,"",$2); print $2; exit}')
check_match "ipmitool reads the upper critical threshold" '^[0-9]' "$thr"
check "annotations: value and the crossed threshold (ipmitool's upper critical)" "92 $(python3 -c "print('%g' % float('$thr'))")" \
  "$(amq "' '.join('%g' % float(($temp_am)[0]['annotations'][k]) for k in ('value','threshold'))")"
$SIMCTL sel-add 2 "FAN1" 2 >/dev/null # lower critical going low
sel_am='[a for a in j if a["labels"].get("alertname") == "IPMISelEvent" and a["labels"].get("target") == "bmc02"]'
check "Alertmanager: the SEL event of bmc02" "FAN1 critical" \
  "$(wait_am 20 "FAN1 critical" "' '.join(($sel_am)[0]['labels'][k] for k in ('sensor','severity')) if $sel_am else ''")"
$SIMCTL set 1 "CPU1 Temp" 50 >/dev/null
check "Alertmanager: the temperature alert resolves" 0 "$(wait_am 30 0 "len($temp_am)")"
check "the webhook's first 3 requests failed, and were retried" 3 "$(hook 'sum(1 for r in allrecs if r["status"] >= 500)')"

# ---- 2. the receiver goes away for a while and returns ----
rcv_stop
$SIMCTL sel-add 1 "Inlet Temp" 9 >/dev/null
$SIMCTL sel-add 2 "FAN2" 2 >/dev/null
sleep 4
check_match "while the receiver is away, alerts wait in the outbox" '^[1-9]' \
  "$(curl -sf "$URL/metrics" | $PROMGET ipmi_collector_alerts_pending)"
m=$(curl -sf "$URL/metrics")
check_match "failed deliveries counted" '^[1-9]' "$($PROMGET ipmi_collector_alerts_failed_total receiver=ops-hook <<<"$m")"
rcv_start
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(r[0]) for r in c.execute(sys.argv[2])]' "$tmp/collector.db" "$1"; }
for _ in $(seq 400); do
  [ "$(sql "select count(*) from outbox where receiver = 'ops-hook'")" = 0 ] && break
  sleep 0.1
done
check "the outbox drains once the receiver is back" 0 "$(sql "select count(*) from outbox where receiver = 'ops-hook'")"
want=$(sql "select key from alerts where instr(receivers, 'ops-hook') order by key" | python3 -c 'import sys; print(len(sys.stdin.read().split(chr(10))) - 1)')
check_match "alerts were raised ($want)" '^([5-9]|[1-9][0-9]+)$' "$want"
check "every alert routed to the webhook arrived there" "$(sql "select key from alerts where instr(receivers, 'ops-hook') order by key" | sha256sum)" \
  "$(hook '"\n".join(sorted(set(x["id"] for x in b)))' | sha256sum)"
check "every delivered request was signed correctly" "True" "$(hook 'all(r["sig_ok"] for r in allrecs)')"
check "no alert twice under different keys" "True" \
  "$(hook 'len(set((x["kind"], x["target"], x["status"], x.get("sensor"), x["starts_at"], (x.get("sel") or {}).get("record_id")) for x in b)) == len(set(x["id"] for x in b))')"
check "per target, in the order raised" "True" \
  "$(hook 'all([x["starts_at"] for x in b if x["target"] == t and x["kind"] == "sel"] == sorted(x["starts_at"] for x in b if x["target"] == t and x["kind"] == "sel") for t in ("bmc01", "bmc02"))')"
check "the CPU1 Temp alert: firing then resolved" "firing resolved" \
  "$(hook '" ".join(x["status"] for x in b if x.get("sensor") == "CPU1 Temp" and x["kind"] == "sensor")')"
check "the BMC's own SEL records of the crossing arrived too" "True" \
  "$(hook 'any(x["kind"] == "sel" and x["sensor"] == "CPU1 Temp" for x in b)')"
check "webhook payload: labels and summary in words" "r7 True" \
  "$(hook '" ".join([b[0]["labels"]["rack"], str("CPU1 Temp" in [x for x in b if x.get("sensor") == "CPU1 Temp" and x["kind"] == "sensor"][0]["summary"])])')"

# ---- 3. SIGKILL with alerts pending ----
rcv_stop
$SIMCTL sel-add 1 "FAN3" 2 >/dev/null
for _ in $(seq 50); do
  n=$("$IC_BIN" alerts list -d "$tmp/collector.db" --state pending --json 2>/dev/null |
    python3 -c 'import json,sys; print(sum(1 for a in json.load(sys.stdin) if "FAN3" in a["summary"]))' 2>/dev/null)
  [ "${n:-0}" -ge 1 ] && break
  sleep 0.1
done
check_match "the FAN3 alert is pending in the outbox" '^[1-9]' "${n:-0}"
kill -KILL "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=
rcv_start
daemon_start
check "after SIGKILL and a restart, the pending alert is delivered" 1 \
  "$(wait_hook 30 1 'sum(1 for x in b if x["kind"] == "sel" and "FAN3" in x["summary"])')"
check "and the restart raised no alert twice" 0 \
  "$(hook 'len(b) - len(set(x["id"] for x in b))')"

# ---- 4. a flapping sensor: one alert, one resolution ----
# hovering at its critical threshold (90): 91 and 89, a sweep (1 s) apart
for i in $(seq 12); do
  if [ $((i % 2)) = 1 ]; then $SIMCTL set 2 "CPU2 Temp" 91 >/dev/null; else $SIMCTL set 2 "CPU2 Temp" 89 >/dev/null; fi
  sleep 1.1
done
$SIMCTL set 2 "CPU2 Temp" 50 >/dev/null
check "flapping CPU2 Temp: one critical alert and one resolution" "firing resolved" \
  "$(wait_hook 30 "firing resolved" '" ".join(x["status"] for x in b if x.get("sensor") == "CPU2 Temp" and x["kind"] == "sensor" and x["severity"] == "critical")')"

# ---- 5. a BMC that stops answering: "unreachable" after 3 s, resolved when it is back ----
$SIMCTL pause 1 >/dev/null
check "unreachable: fired" "firing" \
  "$(wait_hook 30 firing '" ".join(x["status"] for x in b if x["kind"] == "unreachable" and x["target"] == "bmc01")')"
check "unreachable: in Alertmanager too" "IPMITargetUnreachable" \
  "$(wait_am 20 IPMITargetUnreachable "' '.join(a['labels']['alertname'] for a in j if a['labels'].get('kind') == 'unreachable')")"
$SIMCTL resume 1 >/dev/null
check "unreachable: resolved when the BMC answers again" "firing resolved" \
  "$(wait_hook 40 "firing resolved" '" ".join(x["status"] for x in b if x["kind"] == "unreachable" and x["target"] == "bmc01")')"

# ---- 6. metrics and the CLI ----
m=$(curl -sf "$URL/metrics")
check_match "delivery counted per receiver" '^[1-9]' "$($PROMGET ipmi_collector_alerts_sent_total receiver=ops-hook <<<"$m")"
"$IC_BIN" alerts list -d "$tmp/collector.db" >/dev/null; check "alerts list: exit 0" 0 "$?"
kill -TERM "$daemon_pid"; wait "$daemon_pid"; check "SIGTERM: clean exit" 0 "$?"; daemon_pid=
grep -E 'AddressSanitizer|ThreadSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log"; tail -40 "$tmp/daemon.log"; echo "--- hook log"; tail -5 "$tmp/hook.log"; }
finish
