#!/usr/bin/env bash
# tests/integration/redfish.sh - `ipmi-collector redfish` against
# ../shared/redfishsim: bmc001 HTTPS with actions, bmc002 PATCH-only virtual
# media, bmc003 asynchronous InsertMedia (202 + task monitor). Power, boot
# override, a local image served by our media server and booted from (sha256
# checked end to end), failures (bad image URL, BMC down, wrong password,
# 503 with Retry-After, expired session), and the password never printed.
set -u
. "$(dirname "$0")/lib.sh"

RFSIM=$IC_SHARED/redfishsim
[ -x "$RFSIM/start-redfish" ] || { echo "redfishsim not found in $RFSIM"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ic-it-redfish.XXXXXX")
export REDFISHSIM_DIR=$WORK/sim REDFISHSIM_PATCH_MEDIA=2 REDFISHSIM_MEDIA_ASYNC=3
export REDFISHSIM_TASK_DELAY=1 REDFISHSIM_CYCLE_DELAY=1 REDFISHSIM_GRACEFUL_DELAY=1
unset REDFISHSIM_HTTP REDFISHSIM_MEDIA_INSECURE

rf_stop() {
  local pid
  pid=$(cat "$REDFISHSIM_DIR/server.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap rf_stop EXIT

# A private base port (other integration tests use 9811-30000 elsewhere); moves on if busy.
BASE=24761
started=0
for _ in 1 2 3 4 5 6; do
  if "$RFSIM/start-redfish" 3 "$BASE" >"$WORK/start.out" 2>"$WORK/start.log"; then
    started=1
    break
  fi
  grep -q 'already in use' "$WORK/start.log" || { cat "$WORK/start.log"; exit 1; }
  BASE=$((BASE + 137))
done
[ "$started" = 1 ] || { echo "cannot start redfishsim: ports busy"; exit 1; }
CA=$REDFISHSIM_DIR/tls/ca.pem
rs() { "$RFSIM/redfishsim" -d "$REDFISHSIM_DIR" "$@"; }

export RF_PW=admin-secret
ALL_OUT=$WORK/all.out
# rf K ARGS...: runs the CLI on bmc K; stdout in $out, stderr in $errs, status in $rc.
rf() {
  local k=$1
  shift
  "$IC_BIN" redfish --url "https://127.0.0.1:$((BASE + k - 1))" -U admin -E RF_PW \
    --ca-file "$CA" --timeout 10 "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  out=$(cat "$WORK/out")
  errs=$(cat "$WORK/err")
  cat "$WORK/out" "$WORK/err" >>"$ALL_OUT"
}
json_path() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1:]: d=d[k]
print(d)' "$@"; }

# ---- power -----------------------------------------------------------------
rf 1 power status
check "power status = redfishsim power" "$(rs power 1)" "$out"
check "power status exit" 0 "$rc"
rf 1 power off
check "power off exit" 0 "$rc"
check "power off printed" Off "$out"
check "power off: sim state" Off "$(rs state 1 | json_path power)"
rf 1 power on
check "power on exit" 0 "$rc"
check "power on: sim state" On "$(rs state 1 | json_path power)"
boots=$(rs state 1 | json_path boots)
rf 1 power cycle
check "power cycle exit" 0 "$rc"
check "power cycle: sim state" On "$(rs state 1 | json_path power)"
check "power cycle: booted once more" $((boots + 1)) "$(rs state 1 | json_path boots)"
check_match "power cycle: logged" 'ComputerSystem.Reset.*"ResetType":"PowerCycle".*ok' \
  "$(rs log 1)"

# ---- boot override ---------------------------------------------------------
rf 1 boot cdrom
check "boot cdrom exit" 0 "$rc"
check "boot cdrom once" "Once Cd UEFI" "$(rs boot 1)"
rf 1 boot pxe --persistent
check "boot pxe persistent" "Continuous Pxe UEFI" "$(rs boot 1)"
rf 1 boot none
check "boot none" "Disabled" "$(rs boot 1 | cut -d' ' -f1)"
rf 1 boot floppy
check "boot floppy: usage" 2 "$rc"

# ---- virtual media: a local file served by our media server ----------------
ISO=$WORK/test.iso
if command -v genisoimage >/dev/null 2>&1; then
  mkdir -p "$WORK/isoroot" && echo "ipmi-collector redfish test $$" >"$WORK/isoroot/README"
  genisoimage -quiet -o "$ISO" -V ICTEST "$WORK/isoroot" 2>/dev/null
else
  head -c 358400 /dev/urandom >"$ISO"
fi
sum=$(sha256sum "$ISO" | cut -d' ' -f1)
size=$(stat -c %s "$ISO")
rf 1 media status
check "media status empty" "CD empty" "$out"
rf 1 media insert "$ISO" --serve 127.0.0.1:0 --boot-once
check "insert local exit" 0 "$rc"
[ "$rc" = 0 ] || echo "$errs"
url=$(printf '%s\n' "$out" | sed -n 's/^served .* as \([^ ]*\) (fetched.*/\1/p')
check_match "insert: one-time URL" '^http://127\.0\.0\.1:[0-9]+/media/[0-9a-f]{64}/test\.iso$' "$url"
check_match "insert: fetched once, revoked" 'fetched 1 time, now revoked' "$out"
check "insert: sim has the image" "CD inserted $sum $size $url" "$(rs media 1 CD)"
check "insert --boot-once: override" "Once Cd UEFI" "$(rs boot 1)"
# The CLI's server is gone with it: the URL no longer gives the file (refused, or 404).
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
check_match "served URL after the insert: not readable" '^(000|404)$' "$code"
rf 1 media status
check "media status inserted" "CD inserted $url" "$out"
rf 1 power cycle
check "cycle after insert exit" 0 "$rc"
check "last boot from virtual media" "$sum" "$(rs last-boot 1 | json_path sha256)"
check_match "log: booted from virtual media" "booted from virtual media $sum" "$(rs log 1)"
rf 1 media eject
check "eject exit" 0 "$rc"
check "eject: sim empty" "CD empty - - -" "$(rs media 1 CD)"

# The media server as a long-lived process (as in the daemon): the BMC's fetch
# is counted, and after revoke or TTL the URL answers 404.
: "${IC_MEDIASRVTOOL:?IC_MEDIASRVTOOL must point to mediasrvtool}"
coproc MS { "$IC_MEDIASRVTOOL" 127.0.0.1:0 "$ISO" 600000; }
mspid=$MS_PID
ms() { echo "$1" >&"${MS[1]}"; read -r -t 10 reply <&"${MS[0]}"; echo "$reply"; }
murl=$(ms url)
check "media server: not fetched yet" "fetches 0 heads 0 active 1" "$(ms stats)"
check "media server: curl gets the file" "$sum" "$(curl -s "$murl" | sha256sum | cut -d' ' -f1)"
rf 1 media insert "$murl"
check "insert of a served URL" 0 "$rc"
check "media server: the BMC fetched it" "fetches 2 heads 0 active 1" "$(ms stats)"
check "insert of a served URL: sim sha256" "CD inserted $sum $size $murl" "$(rs media 1 CD)"
check "media server: revoke" "revoked 1" "$(ms revoke)"
check "revoked URL: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$murl")"
check "unknown media URL: 404" 404 \
  "$(curl -s -o /dev/null -w '%{http_code}' "${murl%/media/*}/media/$(printf '%064d' 0)/test.iso")"
check "media server: POST refused" 405 "$(curl -s -o /dev/null -w '%{http_code}' -d x "$murl")"
ms quit >/dev/null
wait "$mspid" 2>/dev/null
rf 1 media eject
coproc MS { "$IC_MEDIASRVTOOL" 127.0.0.1:0 "$ISO" 1500; }
mspid=$MS_PID
murl=$(ms url)
check "TTL: served before" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$murl")"
sleep 2
check "TTL: 404 after" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$murl")"
check "TTL: inactive" "fetches 1 heads 0 active 0" "$(ms stats)"
ms quit >/dev/null
wait "$mspid" 2>/dev/null

# An image URL the BMC cannot fetch: its message, non-zero exit, slot empty.
rf 1 media insert http://127.0.0.1:1/x.iso
check "bad image URL: exit 1" 1 "$rc"
check_match "bad image URL: BMC's message" 'InsertMedia refused: CouldNotEstablishConnection: .*127\.0\.0\.1:1/x\.iso' "$errs"
check "bad image URL: slot empty" "CD empty - - -" "$(rs media 1 CD)"
rf 1 media insert "$WORK/missing.iso" --serve 127.0.0.1:0
check "missing local file: non-zero" 1 "$([ "$rc" != 0 ] && echo 1)"
check_match "missing local file: message" 'cannot open .*missing\.iso' "$errs"
rf 1 media insert "$ISO"
check "local file without --serve: usage" 2 "$rc"

# PATCH-only media (no actions listed) on bmc002.
rf 2 media insert "$ISO" --serve 127.0.0.1:0
check "PATCH-only insert exit" 0 "$rc"
check_match "PATCH-only: sim has the image" "^CD inserted $sum $size http://" "$(rs media 2 CD)"
check_match "PATCH-only: via PATCH" 'VirtualMedia.InsertMedia.*"Via":"PATCH".*ok' "$(rs log 2)"
rf 2 media eject
check "PATCH-only eject" "CD empty - - -" "$(rs media 2 CD)"

# Asynchronous InsertMedia on bmc003: 202, the task is waited for.
rf 3 media insert "$ISO" --serve 127.0.0.1:0
check "async insert exit" 0 "$rc"
check_match "async: sim has the image" "^CD inserted $sum $size http://" "$(rs media 3 CD)"
check "async: task completed" Completed "$(rs state 3 | python3 -c 'import json,sys; t=json.load(sys.stdin)["tasks"]; print(t[-1]["state"] if t else "none")')"
rf 3 media eject
rf 3 media insert http://127.0.0.1:1/x.iso
check "async failing task: exit 1" 1 "$rc"
check_match "async failing task: message" 'CouldNotEstablishConnection' "$errs"

# ---- failures --------------------------------------------------------------
rs fail 1 503 2 >/dev/null
rf 1 power status
check "503 x2 then ok (Retry-After honoured)" "0 On" "$rc $out"
rs down 1 >/dev/null
rf 1 power status
check "BMC down: exit 8" 8 "$rc"
check_match "BMC down: message" 'cannot connect to https://127\.0\.0\.1:' "$errs"
rs up 1 >/dev/null
RF_PW=wrong-password rf 1 power status
check "wrong password: exit 3" 3 "$rc"
check_match "wrong password: message" 'wrong user name or password' "$errs"
"$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U admin -E RF_PW power status \
  >"$WORK/out" 2>"$WORK/err"
check "no CA: exit 1" 1 "$?"
check_match "no CA: TLS message" 'certificate .* not trusted' "$(cat "$WORK/err")"
RF_PW=monitor-ro "$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U monitor -E RF_PW \
  --ca-file "$CA" power off >"$WORK/out" 2>"$WORK/err"
check "ReadOnly user power off: exit 5" 5 "$?"
rs hang 1 1 5 >/dev/null
"$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U admin -E RF_PW --ca-file "$CA" \
  --timeout 1 power status >"$WORK/out" 2>"$WORK/err"
check "hang: exit 7" 7 "$?"
rs clear 1 >/dev/null
# Password file: must be private.
printf 'admin-secret\n' >"$WORK/pw"
chmod 644 "$WORK/pw"
"$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U admin -f "$WORK/pw" --ca-file "$CA" \
  power status >"$WORK/out" 2>"$WORK/err"
check "password file 0644: usage" 2 "$?"
chmod 600 "$WORK/pw"
"$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U admin -f "$WORK/pw" --ca-file "$CA" \
  power status >"$WORK/out" 2>"$WORK/err"
check "password file 0600" "0 On" "$? $(cat "$WORK/out")"

# An expired session in the middle of a command: logged in again once.
rs delay 1 1 4 >/dev/null
n0=$(rs log 1 | wc -l)
"$IC_BIN" redfish --url "https://127.0.0.1:$BASE" -U admin -E RF_PW --ca-file "$CA" \
  power cycle >"$WORK/out" 2>"$WORK/err" &
bg=$!
sleep 1.5
rs expire-sessions 1 >/dev/null
wait "$bg"
check "session expired mid-command: exit 0" 0 "$?"
cat "$WORK/out" "$WORK/err" >>"$ALL_OUT"
check "session expired mid-command: logged in again" 2 \
  "$(rs log 1 | tail -n +$((n0 + 1)) | grep -c 'SessionService.Login')"
check "session expired mid-command: state" On "$(rs state 1 | json_path power)"

# ---- secrets ---------------------------------------------------------------
if grep -q 'admin-secret' "$ALL_OUT" "$WORK/out" "$WORK/err"; then
  bad "password in our output"
else
  ok "password never in our output"
fi
if grep -rq 'admin-secret' "$REDFISHSIM_DIR"/bmc00*/actions.log "$REDFISHSIM_DIR"/bmc00*/access.log; then
  bad "password in the simulator's logs"
else
  ok "password not in the simulator's logs"
fi

finish
