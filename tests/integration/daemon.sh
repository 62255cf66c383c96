#!/usr/bin/env bash
# Integration: `ipmi-collector daemon` against `ipmi-collector sim`, read
# back through its HTTP endpoints and its database, cross-checked with
# ipmitool. One scenario per run:
#   basic    values in /metrics and /ipmi equal ipmitool's; promtool passes;
#            status page, health, readiness, gzip
#   reload   SIGHUP and POST /-/reload: unchanged targets keep their session,
#            added ones start, removed ones go; a broken file is refused
#   recover  a BMC that stops answering is reported down and recovers
#   restart  a restart reads no SDR again and neither loses nor duplicates
#            SEL entries (events added while the daemon was down)
#   api      the JSON API: bearer tokens from 0600 files, 401/403/200, targets and
#            sensors as ipmitool reads them, reload reserved to admins
#   tls      api.tls: the listener speaks only HTTPS with the configured certificate
#            (verified by curl against its CA); plain HTTP and unverified clients fail
#   prometheus  a real Prometheus scrapes /metrics and, with ipmi_exporter's
#            documented multi-target scrape config, /ipmi: its query API
#            returns ipmitool's temperature for a named sensor and BMC
set -uo pipefail
. "$(dirname "$0")/lib.sh"
PROMGET="python3 $(dirname "$0")/promget.py"
mode=${1:?usage: daemon.sh basic|reload|recover|restart}

tmp=$(mktemp -d)
pids=()
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_udp_base() { # a base port with N free UDP ports after it
  local p=$1 n=$2
  while ss -uan | awk '{print $4}' | grep -Eq ":($(seq -s '|' $p $((p + n - 1))))\$"; do p=$((p + 100)); done
  echo $p
}
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

N=4
BASE=$((12001 + RANDOM % 100 * 100)) # below the ephemeral range: client sockets never hold these
for try in 1 2 3 4 5; do # other tests may take ports between our look and our bind
  BASE=$(free_udp_base $BASE $((N + 2)))
  CTL=$(free_tcp)
  HTTP=$(free_tcp)
  "$IC_BIN" sim --bmcs $N --listen 127.0.0.1:$BASE --control 127.0.0.1:$CTL --no-drift \
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
export BMC_PASSWORD=admin-secret
URL=http://127.0.0.1:$HTTP

# write_config NTARGETS [extra YAML for bmc01]
write_config() {
  local n=$1 extra=${2:-}
  {
    cat <<EOF
global:
  listen: 127.0.0.1:$HTTP
  database: $tmp/collector.db
  interval: 1s
  timeout: 200ms
  retries: 2
  poller_threads: 2
  log_level: info
profiles:
  admin:
    user: admin
    password_env: BMC_PASSWORD
    cipher_suite: 17
    privilege: administrator
targets:
  - name: bmc01
    address: 127.0.0.1:$BASE
    profile: admin
    labels: {rack: r1$extra}
    collectors: [sensors, sel, fru, chassis, dcmi]
EOF
    if [ "$n" -gt 1 ]; then
      cat <<EOF
  - name: "bmc[02-$(printf %02d "$n")]"
    address: "127.0.0.1:[$((BASE + 1))-$((BASE + n - 1))]"
    profile: admin
    labels: {rack: r2}
    collectors: [sensors, sel, fru, chassis, dcmi]
EOF
    fi
  } >"$tmp/collector.yml"
}

daemon_start() {
  "$IC_BIN" daemon -c "$tmp/collector.yml" 2>>"$tmp/daemon.log" &
  daemon_pid=$!
  for _ in $(seq 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] && return 0
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$tmp/daemon.log"
  echo "daemon did not become ready"
  exit 1
}
daemon_stop() {
  kill -TERM "$daemon_pid"
  wait "$daemon_pid"
  local rc=$?
  daemon_pid=
  return $rc
}
metrics() { curl -sf "$URL/metrics"; }
# metric FAMILY LABEL=VALUE...: the value of one series of /metrics
metric() { metrics | $PROMGET "$@"; }
# wait_metric SECONDS EXPECTED FAMILY LABELS...: until the series has the value
wait_metric() {
  local t=$1 want=$2 got=
  shift 2
  for _ in $(seq $((t * 10))); do
    got=$(metric "$@")
    [ "$got" = "$want" ] && { echo "$got"; return 0; }
    sleep 0.1
  done
  echo "$got"
  return 1
}
ipmitool_value() { # PORT SENSOR: the reading ipmitool prints
  ipmitool -I lanplus -C 17 -H 127.0.0.1 -p "$1" -U admin -P admin-secret sensor reading "$2" |
    awk -F'|' '{gsub(/ /,"",$2); print $2}'
}
num_eq() { python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if abs(a-b)<=1e-9*max(1,abs(a)) else 1)' "$1" "$2"; }
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print("|".join(map(str,r))) for r in c.execute(sys.argv[2])]' "$tmp/collector.db" "$1"; }

case $mode in
basic)
  write_config $N
  daemon_start
  out=$(metrics)
  check_match "/metrics has every target" "^ipmi_up\{.*target=\"bmc04\"" "$(grep -E '^ipmi_up\{' <<<"$out" | grep collector=\"ipmi\" | sort | tail -1)"
  for k in 1 3; do
    port=$((BASE + k - 1))
    name=$(printf bmc%02d $k)
    for s in "CPU1 Temp" "Inlet Temp"; do
      want=$(ipmitool_value $port "$s")
      got=$($PROMGET ipmi_temperature_celsius target=$name "name=$s" <<<"$out")
      num_eq "$want" "$got" && ok "$name $s: /metrics $got = ipmitool $want" || bad "$name $s: /metrics [$got] ipmitool [$want]"
    done
    want=$(ipmitool_value $port "FAN1")
    got=$($PROMGET ipmi_fan_speed_rpm target=$name name=FAN1 <<<"$out")
    num_eq "$want" "$got" && ok "$name FAN1 rpm equal" || bad "$name FAN1: [$got] vs [$want]"
  done
  check "config label on the series" "1" "$($PROMGET ipmi_up target=bmc01 rack=r1 collector=ipmi <<<"$out")"
  check "up" "1" "$($PROMGET ipmi_collector_target_up target=bmc02 <<<"$out")"
  check "sdr read once per target" "1" "$($PROMGET ipmi_collector_sdr_reads_total target=bmc02 <<<"$out")"
  check_match "database size exported" '^[1-9][0-9]*$' "$($PROMGET ipmi_collector_database_size_bytes <<<"$out")"
  if command -v promtool >/dev/null; then
    # promtool's only remark must be the one it makes on the real ipmi_exporter too:
    # ipmi_sel_logs_count is a gauge named like a summary's count (kept for dashboards).
    known='ipmi_sel_logs_count non-histogram and non-summary metrics should not have "_count" suffix'
    perr=$(metrics | promtool check metrics 2>&1)
    check "promtool check metrics on /metrics: nothing but the name ipmi_exporter uses" "$known" "$perr"
    perr=$(curl -sf "$URL/ipmi?target=bmc02&module=default" | promtool check metrics 2>&1)
    check "promtool check metrics on /ipmi: nothing but the name ipmi_exporter uses" "$known" "$perr"
    perr=$(metrics | grep -v '^ipmi_sel_logs_count' | sed '/# .* ipmi_sel_logs_count /d' | promtool check metrics 2>&1)
    check "promtool check metrics without that family: clean, exit 0" "0:" "$?:$perr"
  else
    bad "promtool not installed (Debian package prometheus)"
  fi
  ipm=$(curl -sf "$URL/ipmi?target=bmc02&module=default")
  check "/ipmi by name: temperature = ipmitool" "$(ipmitool_value $((BASE + 1)) 'CPU1 Temp')" \
    "$($PROMGET ipmi_temperature_celsius 'name=CPU1 Temp' <<<"$ipm")"
  ipm2=$(curl -sf "$URL/ipmi?target=127.0.0.1:$((BASE + 1))&module=default")
  check "/ipmi by address: same series" "$(grep -v scrape_duration <<<"$ipm" | grep -v '^#' | wc -l)" "$(grep -v scrape_duration <<<"$ipm2" | grep -v '^#' | wc -l)"
  check "/ipmi: no target label (ipmi_exporter's shape)" "" "$(grep -c 'target=' <<<"$ipm" | grep -v '^0$')"
  check "chassis power state" "1" "$($PROMGET ipmi_chassis_power_state <<<"$ipm")"
  check "/-/healthy" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/healthy")"
  check_match "status page lists targets" "bmc03" "$(curl -sf "$URL/")"
  # BMCs share one UDP socket per poller loop (poller/transport.c): 4 targets, 2 threads
  inodes=$(ls -l /proc/$daemon_pid/fd | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p')
  udp=$(awk 'NR > 1 {print $10}' /proc/net/udp /proc/net/udp6 | grep -Fxc -f <(echo "$inodes") || true)
  check "UDP sockets: one per poller thread, not one per BMC" 2 "$udp"
  # Sweeps start on a shared grid (collector/grid.c): 2 targets a thread, all in one group,
  # so after the first (spread) polls every start falls on the same instant of the 1 s interval.
  for _ in $(seq 100); do
    [ "$(metrics | awk '/^ipmi_collector_polls_total/ {if (m == "" || $2 < m) m = $2} END {print (m >= 3)}')" = 1 ] && break
    sleep 0.1
  done
  starts=$(metrics | grep '^ipmi_collector_last_poll_timestamp_seconds' | awk '{print $2}' | xargs)
  spread=$(python3 -c 'import sys; p=sorted(float(x)%1.0 for x in sys.argv[1:]); g=[b-a for a,b in zip(p,p[1:])]+[p[0]+1-p[-1]]; print("%.3f" % (1-max(g)))' $starts)
  check_match "sweeps start together (4 starts within 150 ms of each other mod 1 s; got $spread s: $starts)" \
    '^0\.(0|1[0-4])' "$spread"
  # No receivers configured: the delivery thread sleeps (a reload would wake it), not once a second.
  # Once ready, the main thread too: /metrics fetches the storage counters itself.
  dlv=$(grep -lx ic-deliver /proc/$daemon_pid/task/*/comm | head -1 | xargs dirname)
  mainw() { awk '/^voluntary_ctxt_switches/ {print $2}' /proc/$daemon_pid/task/$daemon_pid/status; }
  w0=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$dlv/status"); m0=$(mainw)
  sleep 3
  w1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$dlv/status"); m1=$(mainw)
  check_match "idle delivery thread: no wake-ups in 3 s (got $((w1 - w0)))" '^[01]$' "$((w1 - w0))"
  check_match "ready main thread: no wake-ups in 3 s (got $((m1 - m0)))" '^[01]$' "$((m1 - m0))"
  check "gzip when asked" "gzip" "$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%header{content-encoding}' "$URL/metrics" 2>/dev/null || curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$URL/metrics" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding"{print $2}')"
  check "gzip body decodes" "$(metrics | grep -c '^ipmi_temperature_celsius')" \
    "$(curl -s -H 'Accept-Encoding: gzip' "$URL/metrics" | gunzip | grep -c '^ipmi_temperature_celsius')"
  # identity and inventory: as ipmitool reads them
  IT3="ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $((BASE + 2)) -U admin -P admin-secret"
  fw=$($IT3 mc info | awk -F': ' '/^Firmware Revision/{print $2}')
  check "ipmi_bmc_info firmware = ipmitool's" "$fw" "$($PROMGET --label firmware_revision ipmi_bmc_info target=bmc03 <<<"$out")"
  bserial=$($IT3 fru print 0 | awk -F': ' '/Board Serial/{print $2; exit}')
  check_match "ipmitool reads a board serial" '.' "$bserial"
  check "ipmi_fru_info board_serial = ipmitool's" "$bserial" "$($PROMGET --label board_serial ipmi_fru_info target=bmc03 <<<"$out")"
  for _ in $(seq 30); do [ -n "$(sql "select board_serial from inventory i join targets t on t.id=i.target_id where t.name='bmc03'")" ] && break; sleep 0.1; done
  check "database inventory: board serial = ipmitool's" "$bserial" "$(sql "select board_serial from inventory i join targets t on t.id=i.target_id where t.name='bmc03'")"
  inv=$("$IC_BIN" inventory -d "$tmp/collector.db" --where name=bmc03 --json)
  check "inventory command: firmware = ipmitool's" "$fw" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["firmware"])' <<<"$inv")"
  # the database has what the daemon saw
  check "database: targets" "4" "$(sql 'select count(*) from targets')"
  daemon_stop; check "SIGTERM: clean exit" 0 "$?"
  ;;

reload)
  write_config 3
  daemon_start
  opens() { metric ipmi_collector_session_opens_total target=$1; }
  sleep 1.5
  o1=$(opens bmc01); o2=$(opens bmc02)
  check_match "sessions open" '^[1-9]' "$o1"
  write_config 4 ", room: a"   # bmc04 added, bmc01 gets a label
  kill -HUP "$daemon_pid"
  got=$(wait_metric 10 1 ipmi_collector_target_up target=bmc04)
  check "SIGHUP: added target polled" 1 "$got"
  got=$(wait_metric 10 1 ipmi_up target=bmc01 room=a collector=ipmi)
  check "SIGHUP: new label on an unchanged session" 1 "$got"
  sleep 1.5
  check "bmc01 kept its session (opens unchanged)" "$o1" "$(opens bmc01)"
  check "bmc02 kept its session (opens unchanged)" "$o2" "$(opens bmc02)"
  write_config 2
  out=$(curl -s -X POST -w '\n%{http_code}' "$URL/-/reload")
  check "POST /-/reload: 200" 200 "$(tail -1 <<<"$out")"
  check_match "POST /-/reload says what changed" "2 removed" "$out"
  sleep 0.5
  check "removed targets gone from /metrics" "" "$(metrics | grep -E 'target="bmc0[34]"' | head -1)"
  check "bmc02 still kept its session" "$o2" "$(opens bmc02)"
  echo "targets: [ {name: x" >"$tmp/collector.yml"
  out=$(curl -s -X POST -w '\n%{http_code}' "$URL/-/reload")
  check "broken config: reload refused (500)" 500 "$(tail -1 <<<"$out")"
  check_match "broken config: the error has a position" "collector.yml:[0-9]+:[0-9]+" "$out"
  kill -HUP "$daemon_pid"; sleep 0.5
  check "reload failures counted" 2 "$(metric ipmi_collector_config_reload_failures_total)"
  check "old config keeps running" 1 "$(wait_metric 5 1 ipmi_collector_target_up target=bmc02)"
  check "bmc02 still kept its session after a refused reload" "$o2" "$(opens bmc02)"
  daemon_stop; check "SIGTERM: clean exit" 0 "$?"
  ;;

recover)
  write_config 2
  daemon_start
  $SIMCTL pause 2 >/dev/null
  got=$(wait_metric 15 0 ipmi_collector_target_up target=bmc02)
  check "paused BMC reported down" 0 "$got"
  check "its ipmi_up is 0" 0 "$(metric ipmi_up target=bmc02 collector=ipmi)"
  check_match "the error is exported by kind" '^[1-9]' "$(metric ipmi_collector_errors_total target=bmc02 kind=timeout)"
  check_match "status page shows the error" "no answer|timed out|timeout" "$(curl -sf "$URL/" | grep -i -A3 bmc02)"
  check "the other BMC is not delayed (still up)" 1 "$(metric ipmi_collector_target_up target=bmc01)"
  p1=$(metric ipmi_collector_polls_total target=bmc01); sleep 2.5
  p2=$(metric ipmi_collector_polls_total target=bmc01)
  check_match "bmc01 kept polling every second while bmc02 was down ($p1 -> $p2)" '^ok$' \
    "$([ $((p2 - p1)) -ge 2 ] && echo ok)"
  # backoff: after failures the next try waits 2 s, 4 s, 8 s ... (capped), not one
  # interval; a failed poll takes ~1 s (3 tries of 200+300+450 ms), so without
  # backoff 8 s would see 4 polls, with it at most 2
  f1=$(metric ipmi_collector_polls_total target=bmc02); sleep 8
  f2=$(metric ipmi_collector_polls_total target=bmc02)
  check_match "a failing target backs off ($f1 -> $f2 polls in 8 s at a 1 s interval)" '^ok$' \
    "$([ $((f2 - f1)) -le 2 ] && echo ok)"
  $SIMCTL resume 2 >/dev/null
  got=$(wait_metric 20 1 ipmi_collector_target_up target=bmc02)
  check "resumed BMC recovers" 1 "$got"
  trans() { sql "select s.state from state_log s join targets t on t.id=s.target_id where t.name='bmc02' order by s.ts" | xargs; }
  for _ in $(seq 30); do [ "$(trans)" = "up down up" ] && break; sleep 0.1; done # batched writes
  check "database has the transitions" "up down up" "$(trans)"
  daemon_stop
  ;;

restart)
  write_config 2
  $SIMCTL sel-add 1 "CPU1 Temp" 9 >/dev/null
  daemon_start
  sleep 1.5
  n1=$(sql "select count(*) from sel s join targets t on t.id=s.target_id where t.name='bmc01'")
  want=$(ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $BASE -U admin -P admin-secret sel list | grep -c .)
  check "SEL in the database = ipmitool's count" "$want" "$n1"
  daemon_stop
  $SIMCTL sel-add 1 "CPU1 Temp" 7 >/dev/null
  $SIMCTL sel-add 1 "FAN1" 2 >/dev/null
  daemon_start
  sleep 1.5
  check "after restart: no SDR read" 0 "$(metric ipmi_collector_sdr_reads_total target=bmc01)"
  check "after restart: no SDR read (bmc02)" 0 "$(metric ipmi_collector_sdr_reads_total target=bmc02)"
  n2=$(sql "select count(*) from sel s join targets t on t.id=s.target_id where t.name='bmc01'")
  check "events added while down arrive once" "$((n1 + 2))" "$n2"
  check "no duplicate (target, record) rows" 0 "$(sql "select count(*) from (select target_id, record_id, raw, count(*) c from sel group by 1,2,3 having c > 1)")"
  want=$(ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $BASE -U admin -P admin-secret sel list | grep -c .)
  check "SEL in the database = ipmitool's count after restart" "$want" "$n2"
  # a clear: the cursor's record is gone; new records after it are stored as new
  ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $BASE -U admin -P admin-secret sel clear >/dev/null
  sleep 0.5
  $SIMCTL sel-add 1 "CPU1 Temp" 9 >/dev/null
  for _ in $(seq 50); do # the next poll (1 s) reads it, the writer commits it
    n3=$(sql "select count(*) from sel s join targets t on t.id=s.target_id where t.name='bmc01'")
    [ "$n3" -gt "$n2" ] && break
    sleep 0.2
  done
  check_match "a cleared SEL: old entries kept, the new one added ($n2 -> $n3)" '^ok$' "$([ "$n3" -gt "$n2" ] && echo ok)"
  check "the SEL clear is recorded" 1 "$(sql "select count(*) > 0 from sel_resets")"
  daemon_stop
  ;;
prometheus)
  command -v prometheus >/dev/null || { bad "prometheus not installed (Debian package prometheus)"; finish; exit 1; }
  write_config 3
  daemon_start
  PROM=$(free_tcp)
  cat >"$tmp/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: collector
    static_configs: [{targets: ["127.0.0.1:$HTTP"]}]
  # ipmi_exporter's multi-target pattern, unchanged but for the exporter's address
  - job_name: ipmi
    metrics_path: /ipmi
    params: {module: [default]}
    static_configs: [{targets: [bmc01, bmc02, bmc03]}]
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: "127.0.0.1:$HTTP"}
EOF
  prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address=127.0.0.1:$PROM 2>"$tmp/prometheus.log" &
  pids+=($!)
  q() { # PROMQL: the first value of an instant query
    curl -s --get "http://127.0.0.1:$PROM/api/v1/query" --data-urlencode "query=$1" |
      python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
  }
  want=$(ipmitool_value $((BASE + 1)) "CPU1 Temp")
  got=
  for _ in $(seq 150); do
    got=$(q 'ipmi_temperature_celsius{job="collector",target="bmc02",name="CPU1 Temp"}' 2>/dev/null)
    [ -n "$got" ] && break
    sleep 0.2
  done
  num_eq "$want" "${got:-x}" && ok "Prometheus (/metrics): bmc02 CPU1 Temp $got = ipmitool $want" || { bad "Prometheus (/metrics): [$got] vs ipmitool [$want]"; tail -5 "$tmp/prometheus.log"; }
  got=
  for _ in $(seq 100); do
    got=$(q 'ipmi_temperature_celsius{job="ipmi",instance="bmc02",name="CPU1 Temp"}' 2>/dev/null)
    [ -n "$got" ] && break
    sleep 0.2
  done
  num_eq "$want" "${got:-x}" && ok "Prometheus (/ipmi, ipmi_exporter scrape config): $got = ipmitool $want" || bad "Prometheus (/ipmi): [$got] vs [$want]"
  qwait() { # WANT PROMQL: until the query returns WANT (scrapes land one by one)
    local v=
    for _ in $(seq 50); do v=$(q "$2"); [ "$v" = "$1" ] && break; sleep 0.2; done
    echo "$v"
  }
  check "Prometheus sees every target up" 3 "$(qwait 3 'count(ipmi_collector_target_up{job="collector"} == 1)')"
  check "Prometheus scrape health of /ipmi targets" 3 "$(qwait 3 'count(up{job="ipmi"} == 1)')"
  daemon_stop
  ;;
api)
  # tokens: files of mode 0600; one of mode 0644 is refused with its position
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/viewer.token"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/admin.token"
  chmod 600 "$tmp/viewer.token" "$tmp/admin.token"
  write_config 3
  cat >>"$tmp/collector.yml" <<EOF
api:
  tokens:
    - name: viewer
      role: read
      token_file: $tmp/viewer.token
    - name: boss
      role: admin
      token_file: $tmp/admin.token
EOF
  chmod 644 "$tmp/admin.token"
  out=$("$IC_BIN" check-config -c "$tmp/collector.yml" 2>&1); rc=$?
  check "a token file readable by others: refused (exit 2)" 2 "$rc"
  check_match "... with its position" "collector.yml:[0-9]+:[0-9]+:.*admin.token" "$out"
  chmod 600 "$tmp/admin.token"
  daemon_start
  V="Authorization: Bearer $(cat "$tmp/viewer.token")"
  A="Authorization: Bearer $(cat "$tmp/admin.token")"
  code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
  check "no token: 401" 401 "$(code "$URL/api/v1/targets")"
  check "a wrong token: 401" 401 "$(code -H "Authorization: Bearer not-a-token" "$URL/api/v1/targets")"
  check "read token: 200" 200 "$(code -H "$V" "$URL/api/v1/targets")"
  out=$(curl -sf -H "$V" "$URL/api/v1/targets")
  check "targets: the three configured" "bmc01 bmc02 bmc03" \
    "$(python3 -c 'import json,sys; print(" ".join(sorted(t["name"] for t in json.load(sys.stdin))))' <<<"$out")"
  fw=$(ipmitool -I lanplus -C 17 -H 127.0.0.1 -p $((BASE + 1)) -U admin -P admin-secret mc info | awk -F': ' '/^Firmware Revision/{print $2}')
  check "targets: bmc02's firmware = ipmitool's" "$fw" \
    "$(curl -sf -H "$V" "$URL/api/v1/targets/bmc02" | python3 -c 'import json,sys; print(json.load(sys.stdin)["firmware"])')"
  check "filter by label" "bmc01" \
    "$(curl -sf -H "$V" "$URL/api/v1/targets?label=rack:r1" | python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin)))')"
  want=$(ipmitool_value $((BASE + 1)) "CPU1 Temp")
  got=$(curl -sf -H "$V" "$URL/api/v1/targets/bmc02/sensors" | python3 -c 'import json,sys; print([s["value"] for s in json.load(sys.stdin) if s["name"] == "CPU1 Temp"][0])')
  num_eq "$want" "$got" && ok "sensors: CPU1 Temp $got = ipmitool $want" || bad "sensors: [$got] vs ipmitool [$want]"
  check "unknown target: 404" 404 "$(code -H "$V" "$URL/api/v1/targets/nope")"
  check "reload without a token: 401" 401 "$(code -X POST "$URL/-/reload")"
  check "reload with a read token: 403" 403 "$(code -X POST -H "$V" "$URL/-/reload")"
  check "reload with an admin token: 200" 200 "$(code -X POST -H "$A" "$URL/-/reload")"
  chmod 644 "$tmp/viewer.token"
  out=$(curl -s -X POST -H "$A" -w '\n%{http_code}' "$URL/-/reload")
  check "a token file opened to others: the reload is refused" 500 "$(tail -1 <<<"$out")"
  check_match "... naming the file" "viewer.token.*(chmod 600|others)" "$out"
  check "... and the running tokens still work" 200 "$(code -H "$V" "$URL/api/v1/targets")"
  chmod 600 "$tmp/viewer.token"
  check "/metrics stays open" 200 "$(code "$URL/metrics")"
  daemon_stop
  check "no token in the daemon's log" 0 "$(grep -c -F -e "$(cat "$tmp/viewer.token")" -e "$(cat "$tmp/admin.token")" "$tmp/daemon.log")"
  ;;
tls)
  # a CA and a server certificate for 127.0.0.1 made with the openssl CLI
  (cd "$tmp" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca &&
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 &&
    printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
      -days 2 -extfile san.ext &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.pem -days 2 \
      -subj /CN=other-ca) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log"; exit 1; }
  chmod 600 "$tmp/server.key"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/viewer.token"
  chmod 600 "$tmp/viewer.token"
  write_config 2
  cat >>"$tmp/collector.yml" <<EOF
api:
  tls: {cert_file: $tmp/server.pem, key_file: $tmp/server.key}
  require_tls: true
  tokens:
    - {name: viewer, role: read, token_file: $tmp/viewer.token}
EOF
  URL=https://127.0.0.1:$HTTP
  export CURL_CA_BUNDLE=$tmp/ca.pem
  daemon_start
  check "HTTPS with the CA: /-/healthy 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/healthy")"
  check_match "... the certificate is the configured one" "CN *= *127.0.0.1" \
    "$(openssl s_client -connect 127.0.0.1:$HTTP -CAfile "$tmp/ca.pem" </dev/null 2>/dev/null | openssl x509 -noout -subject)"
  check "HTTPS: the API with a token" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/viewer.token")" "$URL/api/v1/targets")"
  check_match "HTTPS: /metrics" "ipmi_collector_target_up" "$(curl -s "$URL/metrics")"
  curl -s -o /dev/null --cacert "$tmp/other-ca.pem" "$URL/-/healthy"; rc=$?
  check "a client that does not trust the CA: certificate refused (curl 60)" 60 "$rc"
  check "plain HTTP on the same port: no answer" 000 \
    "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP/-/healthy")"
  check_match "the log says https" "serving https://" "$(cat "$tmp/daemon.log")"
  daemon_stop
  check "no key material or token in the log" 0 "$(grep -c -e 'PRIVATE KEY' -e "$(cat "$tmp/viewer.token")" "$tmp/daemon.log")"
  ;;
*)
  echo "unknown mode $mode"; exit 2 ;;
esac
grep -E 'ERROR|AddressSanitizer|ThreadSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer or error lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log (last 60 lines)"; tail -60 "$tmp/daemon.log"; }
finish
