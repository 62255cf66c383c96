#!/usr/bin/env bash
# Integration: console capture in the daemon (issue 8) against ipmi_sim BMCs
# (../shared/bmcsim, SOL to a fake Linux console, cipher suite 3):
#   - a target with `console: capture` keeps SOL active; after a power reset
#     through the API its boot log and login prompt are in the captured log
#     (API GET .../console and `ipmi-collector console-log`)
#   - a line matching alerting.console_patterns reaches a real webhook receiver
#     as a "console" alert
#   - an interactive client attached through the daemon (upgraded HTTP
#     connection) types a command and sees its output while capture goes on;
#     a second client, a read token and a target without capture are refused
set -uo pipefail
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

fleet_start 9781 2
BASE=$IC_FLEET_BASE
BD=$BMCSIM_DIR
tmp=$(mktemp -d)
daemon_pid=
hook_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$hook_pid" ] && kill "$hook_pid" 2>/dev/null && wait "$hook_pid" 2>/dev/null
  fleet_stop
  rm -rf "$tmp"
}
trap cleanup EXIT

HOOK=$(free_tcp)
python3 "$HERE/receiver.py" --port "$HOOK" --log "$tmp/hook.log" 2>"$tmp/hook.err" &
hook_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$HOOK/" >/dev/null && break; sleep 0.1; done

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
  poller_threads: 2
profiles:
  admin: {user: admin, password_env: BMC_PASSWORD, cipher_suite: 3, privilege: administrator}
targets:
  - {name: bmc001, address: "127.0.0.1:$BASE", profile: admin, console: capture}
  - {name: bmc002, address: "127.0.0.1:$((BASE + 1))", profile: admin}
alerting:
  console_patterns: ["Kernel panic", "Linux version"]
  receivers:
    - {name: hook, type: webhook, url: "http://127.0.0.1:$HOOK/alerts"}
  routes:
    - {receiver: hook, match: {kind: [console]}}
api:
  tokens:
    - {name: ops, role: operate, token_file: $tmp/ops.token}
    - {name: viewer, role: read, token_file: $tmp/viewer.token}
EOF
"$IC_BIN" daemon -c "$tmp/collector.yml" 2>"$tmp/daemon.log" &
daemon_pid=$!
for _ in $(seq 200); do grep -q "bmc001: console capture active" "$tmp/daemon.log" && break; sleep 0.1; done
check_match "capture: SOL active on bmc001" "bmc001: console capture active" "$(cat "$tmp/daemon.log")"

O=$(cat "$tmp/ops.token")
V=$(cat "$tmp/viewer.token")
code=$(curl -s -o "$tmp/reset.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $O" \
  -d '{"action":"reset"}' "$URL/api/v1/targets/bmc001/power")
check "power reset through the API" 200 "$code"
console() { curl -sf -H "Authorization: Bearer $V" "$URL/api/v1/targets/bmc001/console$1"; }
lines=
for _ in $(seq 100); do
  lines=$(console "?grep=login" | python3 -c 'import json,sys; print("\n".join(r["line"] for r in json.load(sys.stdin)))')
  grep -q "host001 login:" <<<"$lines" && break
  sleep 0.2
done
check_match "after the reset: the login prompt is captured (a line without newline)" "^host001 login:" "$lines"
log=$("$IC_BIN" console-log bmc001 -d "$tmp/collector.db")
check_match "console-log: the boot log" "Linux version 6.1.0-bmcsim" "$log"
check_match "console-log: ... in order" "Booting from Hard Disk(.|$'\n')*Linux version(.|$'\n')*Reached target" "$(tr '\n' ' ' <<<"$log")"
check_match "console-log: time first" "^20[0-9-]+T[0-9:.]+Z " "$(head -1 <<<"$log")"
check "console-log --grep, --json" 1 \
  "$("$IC_BIN" console-log bmc001 -d "$tmp/collector.db" --grep 'EXT4-fs' --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "GET .../console of a target without capture: empty" "[]" \
  "$(curl -sf -H "Authorization: Bearer $V" "$URL/api/v1/targets/bmc002/console" | tr -d ' \n')"

hook=
for _ in $(seq 50); do
  hook=$(cat "$tmp/hook.log" 2>/dev/null)
  grep -q "Linux version" <<<"$hook" && break
  sleep 0.2
done
check_match "a line matching a console pattern: a console alert at the webhook" 'kind\\":\\"console' "$hook"
check_match "... with the line" "bmc001: console: .*Linux version 6.1.0-bmcsim" "$hook"

# ---- an interactive client through the daemon ----
ATTACH="python3 $HERE/attach.py --port $HTTP"
out=$($ATTACH --target bmc001 --token "$V" 2>&1)
check_match "attach with a read token: 403" "HTTP/1.1 403" "$out"
out=$($ATTACH --target bmc002 --token "$O" 2>&1)
check_match "attach to a target without capture: refused with the reason" "ERR .*not being captured" "$out"
$ATTACH --target bmc001 --token "$O" --send '\r' --send 'root\r' --send 'pw\r' --send 'hostname\r' \
  --until "host001"$'\r\n'"root@" --hold 3 >"$tmp/attach.out" 2>"$tmp/attach.err" &
attach_pid=$!
sleep 1.5
out=$($ATTACH --target bmc001 --token "$O" 2>&1)
check_match "a second client while one is attached: refused" "ERR .*another client" "$out"
wait $attach_pid
check "attach: the client saw the command's output" 0 $?
check_match "... OK first" "^OK$" "$(sed -n 2p "$tmp/attach.err")"
check_match "... the shell answered hostname" "host001" "$(tr -d '\r' <"$tmp/attach.out" | grep -x host001)"
check_match "the BMC's console got the typed command" " hostname$" "$(cat "$BD/bmc001/sol-input.log")"
sleep 1.5
check_match "capture went on meanwhile: the command's output is in the log" "host001" \
  "$("$IC_BIN" console-log bmc001 -d "$tmp/collector.db" --grep 'hostname' | head -2)"
out=$($ATTACH --target bmc001 --token "$O" --send 'echo Kernel panic - not syncing: test\r' --until "not syncing: test" 2>&1)
check_match "attach again after the first client left" "^OK$" "$out"
for _ in $(seq 50); do grep -q "not syncing: test" "$tmp/hook.log" 2>/dev/null && break; sleep 0.2; done
check_match "a panic line typed through the attach: alerted" "Kernel panic - not syncing: test" "$(cat "$tmp/hook.log")"

# ---- the same through `ipmi-collector console NAME --server URL` ----
out=$( (sleep 1.5; printf 'uname\r'; sleep 2) |
  timeout 20 "$IC_BIN" console bmc001 --server "$URL" --token-file "$tmp/ops.token" 2>"$tmp/cli.err")
rc=$?
check "console --server: exit 0 at the end of stdin" 0 "$rc"
check_match "... typed uname, saw the answer" "Linux" "$(tr -d '\r' <<<"$out" | grep -vx uname)"
check_match "... said where it is" "console of bmc001 through $URL" "$(cat "$tmp/cli.err")"
"$IC_BIN" console bmc001 --server "$URL" --token-file "$tmp/viewer.token" </dev/null >/dev/null 2>"$tmp/cli.err"
check "console --server with a read token: exit 5 (privilege)" 5 $?
check_match "... the daemon's reason" "403.*operate" "$(cat "$tmp/cli.err")"
"$IC_BIN" console bmc002 --server "$URL" --token-file "$tmp/ops.token" </dev/null >/dev/null 2>"$tmp/cli.err"
check_match "console --server of a target without capture: the reason" "not being captured" "$(cat "$tmp/cli.err")"
chmod 644 "$tmp/viewer.token"
"$IC_BIN" console bmc001 --server "$URL" --token-file "$tmp/viewer.token" </dev/null >/dev/null 2>"$tmp/cli.err"
check "console --server: a token file others can read is refused (exit 2)" 2 $?
chmod 600 "$tmp/viewer.token"

kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=
check "daemon stops cleanly" 0 "$rc"
audit=$("$IC_BIN" audit -d "$tmp/collector.db" --grep console-attach --json)
check "audit: the attaches (3 ok; refused: no capture twice, a second client)" "ok=3 refused=3" \
  "$(python3 -c 'import json,sys; r=[x["result"].split(":")[0] for x in json.load(sys.stdin)]; print("ok=%d refused=%d" % (r.count("ok"), r.count("refused")))' <<<"$audit")"
check "no token in the daemon's log" 0 "$(grep -c -F -e "$O" -e "$V" "$tmp/daemon.log")"
grep -E 'AddressSanitizer|ThreadSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log (last 40 lines)"; tail -40 "$tmp/daemon.log"; }
finish
