#!/usr/bin/env bash
# Integration: actions through the daemon's API (issue 8) against real
# ipmi_sim BMCs (../shared/bmcsim), checked with real curl, the simulator's
# own state files and ipmitool:
#   - 401 without a token, 403 for a read token, 200 for an operate token
#   - power off / on of a named BMC: answered after the state was read back,
#     the BMC's power file and ipmitool agree, /metrics follows
#   - bootdev reaches the BMC (its bootdev file, ipmitool's boot parameter)
#   - a label selector acts on every matching BMC with per-target results,
#     and refuses (nothing done) when "confirm" differs from the match count
#   - a BMC that does not answer gives a clear per-target error
#   - bad requests: 400 with the reason, 404, 405
#   - every action is in the audit log (ipmi-collector audit, GET /api/v1/audit)
#   - GET .../sel?after=ID pages the stored SEL
#   - no token appears in the daemon's log or the database
set -uo pipefail
. "$(dirname "$0")/lib.sh"
PROMGET="python3 $(dirname "$0")/promget.py"

fleet_start 9761 5
BASE=$IC_FLEET_BASE
BD=$BMCSIM_DIR
tmp=$(mktemp -d)
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  fleet_stop
  rm -rf "$tmp"
}
trap cleanup EXIT

HTTP=$(free_tcp)
URL=http://127.0.0.1:$HTTP
export BMC_PASSWORD=admin-secret
for t in ops viewer; do
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/$t.token"
  chmod 600 "$tmp/$t.token"
done
cat >"$tmp/collector.yml" <<EOF
global:
  listen: 127.0.0.1:$HTTP
  database: $tmp/collector.db
  interval: 2s
  timeout: 300ms
  retries: 2
  poller_threads: 2
profiles:
  admin:
    user: admin
    password_env: BMC_PASSWORD
    cipher_suite: 3
    privilege: administrator
targets:
  - name: "bmc[001-003]"
    address: "127.0.0.1:[$BASE-$((BASE + 2))]"
    profile: admin
    labels: {rack: r1}
  - name: "bmc[004-005]"
    address: "127.0.0.1:[$((BASE + 3))-$((BASE + 4))]"
    profile: admin
    labels: {rack: r2}
api:
  tokens:
    - name: ops
      role: operate
      token_file: $tmp/ops.token
    - name: viewer
      role: read
      token_file: $tmp/viewer.token
EOF
"$IC_BIN" daemon -c "$tmp/collector.yml" 2>"$tmp/daemon.log" &
daemon_pid=$!
for _ in $(seq 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] && break
  sleep 0.1
done
check "daemon ready" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")"

O="Authorization: Bearer $(cat "$tmp/ops.token")"
V="Authorization: Bearer $(cat "$tmp/viewer.token")"
# post PATH BODY [HEADER]: prints the body, then the status on the last line
post() {
  curl -s -X POST -H "Content-Type: application/json" ${3:+-H "$3"} -d "$2" \
    -w '\n%{http_code}' --max-time 90 "$URL$1"
}
status() { tail -1 <<<"$1"; }
body() { sed '$d' <<<"$1"; }
jget() { body "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"; }
power_file() { cat "$BD/$1/power"; }
ipmi_power() { ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$1" -U admin -P admin-secret chassis power status; }

# ---- authentication and roles ----
check "power without a token: 401" 401 "$(status "$(post /api/v1/targets/bmc002/power '{"action":"off"}')")"
check "power with a read token: 403" 403 "$(status "$(post /api/v1/targets/bmc002/power '{"action":"off"}' "$V")")"
check "... and nothing was done" 1 "$(power_file bmc002)"

# ---- power off / on of one BMC ----
out=$(post /api/v1/targets/bmc002/power '{"action":"off"}' "$O")
check "power off bmc002: 200" 200 "$(status "$out")"
check "... ok" True "$(jget "$out" 'j["ok"]')"
check "... the state read back" off "$(jget "$out" 'j["power"]')"
check "... the BMC's power file says off" 0 "$(power_file bmc002)"
check "... ipmitool agrees" "Chassis Power is off" "$(ipmi_power $((BASE + 1)))"
check "... the other BMCs untouched" "1 1" "$(power_file bmc001) $(power_file bmc003)"
got=
for _ in $(seq 50); do
  got=$(curl -s "$URL/metrics" | $PROMGET ipmi_chassis_power_state target=bmc002)
  [ "$got" = 0 ] && break
  sleep 0.2
done
check "... /metrics follows (polled at once after the action)" 0 "$got"
out=$(post /api/v1/targets/bmc002/power '{"action":"on"}' "$O")
check "power on bmc002: 200, on" "200 on" "$(status "$out") $(jget "$out" 'j["power"]')"
check "... the BMC's power file says on" 1 "$(power_file bmc002)"

# ---- boot device ----
out=$(post /api/v1/targets/bmc003/bootdev '{"device":"pxe"}' "$O")
check "bootdev pxe bmc003: 200, read back" "200 pxe" "$(status "$out") $(jget "$out" 'j["device"]')"
check "... the BMC's bootdev file" pxe "$(cat "$BD/bmc003/bootdev")"
check_match "... ipmitool reads it back" "Force PXE" \
  "$(ipmitool -I lanplus -C 3 -H 127.0.0.1 -p $((BASE + 2)) -U admin -P admin-secret chassis bootparam get 5)"

# ---- selectors ----
before=$(cat "$BD"/bmc00[1-3]/chassis.log 2>/dev/null | wc -l)
out=$(post /api/v1/power '{"action":"cycle","selector":{"rack":"r1"},"confirm":2}' "$O")
check "selector with a wrong confirm: 409" 409 "$(status "$out")"
check "... says how many match" 3 "$(jget "$out" 'j["matched"]')"
check_match "... and that nothing was done" "nothing done" "$(jget "$out" 'j["error"]')"
check "... nothing was done" "$before" "$(cat "$BD"/bmc00[1-3]/chassis.log 2>/dev/null | wc -l)"
out=$(post /api/v1/bootdev '{"device":"cdrom","selector":{"rack":"r1"},"confirm":3}' "$O")
check "selector bootdev cdrom over rack r1: 200" 200 "$(status "$out")"
check "... 3 matched, 3 ok, 0 failed" "3 3 0" "$(jget "$out" 'j["matched"], j["ok"], j["failed"]' | tr -d '(),')"
check "... per-target results" "bmc001:cdrom bmc002:cdrom bmc003:cdrom" \
  "$(jget "$out" '" ".join(sorted(r["target"]+":"+r["device"] for r in j["results"]))')"
check "... on every BMC of the rack" "cdrom cdrom cdrom" \
  "$(cat "$BD/bmc001/bootdev") $(cat "$BD/bmc002/bootdev") $(cat "$BD/bmc003/bootdev")"
check "... and not elsewhere" "no" "$(grep -qx cdrom "$BD/bmc004/bootdev" 2>/dev/null && echo yes || echo no)"
out=$(post /api/v1/power '{"action":"cycle","selector":{"rack":"r2"},"confirm":2}' "$O")
check "selector power cycle over rack r2: 200, 2 ok" "200 2" "$(status "$out") $(jget "$out" 'j["ok"]')"
check_match "... each BMC went off and on again" "power 0.*power 1" \
  "$(tr '\n' ' ' <"$BD/bmc004/chassis.log") $(tr '\n' ' ' <"$BD/bmc005/chassis.log")"
check "... and is on" "1 1" "$(power_file bmc004) $(power_file bmc005)"

# ---- a BMC that does not answer ----
"$BMCSIM/bmcsim" -d "$BD" pause 5 >/dev/null
out=$(post /api/v1/targets/bmc005/power '{"action":"off"}' "$O")
"$BMCSIM/bmcsim" -d "$BD" resume 5 >/dev/null
check "power off of a paused BMC: 502" 502 "$(status "$out")"
check_match "... with the reason" "[Nn]o answer|not answer|timed out|timeout" "$(jget "$out" 'j["error"]')"

# ---- bad requests ----
check "unknown key: 400" 400 "$(status "$(post /api/v1/targets/bmc001/power '{"acton":"off"}' "$O")")"
check "unknown action: 400" 400 "$(status "$(post /api/v1/targets/bmc001/power '{"action":"explode"}' "$O")")"
check "not JSON: 400" 400 "$(status "$(post /api/v1/targets/bmc001/power 'off' "$O")")"
check "selector without confirm: 400" 400 "$(status "$(post /api/v1/power '{"action":"on","selector":{"rack":"r1"}}' "$O")")"
check "unknown target: 404" 404 "$(status "$(post /api/v1/targets/nope/power '{"action":"on"}' "$O")")"
check "GET on an action: 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -H "$O" "$URL/api/v1/targets/bmc001/power")"

# ---- the audit log ----
check "audit with a read token: 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' -H "$V" "$URL/api/v1/audit")"
sleep 0.5 # the writer commits within 250 ms
api_audit=$(curl -sf -H "$O" "$URL/api/v1/audit")
cli_audit=$("$IC_BIN" audit -d "$tmp/collector.db" --json)
check "audit: the API and the CLI list the same rows" \
  "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$api_audit")" \
  "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$cli_audit")"
# row CONDITION EXPRESSIONS: the first audit row where CONDITION holds, fields joined by spaces
row() { python3 -c 'import json,sys; r=[r for r in json.load(sys.stdin) if eval(sys.argv[1])]; v=eval(sys.argv[2]) if r else "none"; print(" ".join(map(str, v)) if isinstance(v, tuple) else v)' "$1" "$2" <<<"$cli_audit"; }
check "audit: the power off of bmc002 (who, targets, result, source)" "ops bmc002 ok 127.0.0.1" \
  "$(row 'r["action"]=="power" and r["params"]["action"]=="off" and r["targets"]=="bmc002"' 'r[0]["who"],r[0]["targets"],r[0]["result"],r[0]["source"]')"
check "audit: the selector bootdev, 3 ok" "bmc001,bmc002,bmc003 3" \
  "$(row 'r["action"]=="bootdev" and r["params"]["device"]=="cdrom"' 'r[0]["targets"],r[0]["ok"]')"
check_match "audit: the refused selector" "refused: the selector matches 3 targets but confirm is 2" \
  "$(row 'r["params"].get("confirm")==2' 'r[0]["result"]')"
check "audit: the failed power off of bmc005" "failed 1" \
  "$(row 'r["targets"]=="bmc005" and r["params"]["action"]=="off"' 'r[0]["result"],r[0]["failed"]')"
check "audit --who viewer: nothing (403s do nothing)" "[]" "$("$IC_BIN" audit -d "$tmp/collector.db" --who viewer --json | tr -d ' \n')"
check "audit --target bmc004: the r2 cycle" 1 \
  "$("$IC_BIN" audit -d "$tmp/collector.db" --target bmc004 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# ---- the stored SEL, paged ----
sel=$(curl -sf -H "$V" "$URL/api/v1/targets/bmc001/sel")
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$sel")
want=$(ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$BASE" -U admin -P admin-secret sel elist | wc -l)
check "sel: every entry ipmitool lists" "$want" "$n"
id10=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[9]["id"])' <<<"$sel")
check "sel?after=ID: the entries after the 10th" $((n - 10)) \
  "$(curl -sf -H "$V" "$URL/api/v1/targets/bmc001/sel?after=$id10" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "sel?limit=3" 3 "$(curl -sf -H "$V" "$URL/api/v1/targets/bmc001/sel?limit=3" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "sel of an unknown target: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -H "$V" "$URL/api/v1/targets/nope/sel")"

# ---- secrets ----
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=
check "daemon stops cleanly" 0 "$rc"
toks=(-e "$(cat "$tmp/ops.token")" -e "$(cat "$tmp/viewer.token")")
check "no token in the daemon's log" 0 "$(grep -c -F "${toks[@]}" "$tmp/daemon.log")"
check "no token in the database (audit included)" 0 "$(cat "$tmp"/collector.db* | grep -c -a -F "${toks[@]}")"
grep -E 'AddressSanitizer|ThreadSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log (last 40 lines)"; tail -40 "$tmp/daemon.log"; }
finish
