#!/usr/bin/env bash
# Integration: virtual media and Redfish power through the daemon's API
# (issue 8), against ../shared/redfishsim (which really downloads the image,
# hashes it and logs what it booted) and `ipmi-collector sim` for the IPMI side:
#   - a local ISO inserted through the API is fetched by the BMC, which reports
#     the same sha256; boot_once + power cycle boots from it; eject empties the slot
#   - the image URL stops working after eject, and after api.media.ttl
#   - a file outside api.media.dirs is refused (the daemon serves nothing else)
#   - a bad URL and an unreachable BMC give clear errors; power "via": "redfish"
#   - every action is audited; the media status is a read (no audit row)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

RFSIM=$IC_SHARED/redfishsim
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ic-it-media.XXXXXX")
export REDFISHSIM_DIR=$tmp/rfsim REDFISHSIM_CYCLE_DELAY=1 REDFISHSIM_GRACEFUL_DELAY=1
unset REDFISHSIM_HTTP REDFISHSIM_PATCH_MEDIA REDFISHSIM_MEDIA_ASYNC
daemon_pid=
sim_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  local pid
  pid=$(cat "$REDFISHSIM_DIR/server.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -rf "$tmp"
}
trap cleanup EXIT

RBASE=25161
for _ in 1 2 3 4 5 6; do
  "$RFSIM/start-redfish" 2 "$RBASE" >"$tmp/rf.out" 2>"$tmp/rf.log" && break
  grep -q 'already in use' "$tmp/rf.log" || { cat "$tmp/rf.log"; exit 1; }
  RBASE=$((RBASE + 137))
done
[ -s "$REDFISHSIM_DIR/server.pid" ] || { echo "cannot start redfishsim"; exit 1; }
rs() { "$RFSIM/redfishsim" -d "$REDFISHSIM_DIR" "$@"; }
CA=$REDFISHSIM_DIR/tls/ca.pem

# The IPMI side of the same two servers: our own simulator.
IBASE=$((14001 + RANDOM % 40 * 100))
CTL=$(free_tcp)
"$IC_BIN" sim --bmcs 2 --listen 127.0.0.1:$IBASE --control 127.0.0.1:$CTL --no-drift \
  --inventory "$tmp/inv" 2>"$tmp/sim.log" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$tmp/inv" ] && break; sleep 0.1; done

# The images: one allowed (under media dirs), one not.
mkdir -p "$tmp/iso" "$tmp/private"
if command -v genisoimage >/dev/null; then
  mkdir -p "$tmp/isoroot" && echo "rescue $RANDOM" >"$tmp/isoroot/README"
  genisoimage -quiet -o "$tmp/iso/rescue.iso" "$tmp/isoroot" 2>/dev/null
else
  head -c 400000 /dev/urandom >"$tmp/iso/rescue.iso"
fi
echo "not for the BMC" >"$tmp/private/secret.iso"
ln -s "$tmp/private/secret.iso" "$tmp/iso/sneaky.iso" # a link out of the directory
SHA=$(sha256sum "$tmp/iso/rescue.iso" | cut -d' ' -f1)

HTTP=$(free_tcp)
MEDIA=$(free_tcp)
URL=http://127.0.0.1:$HTTP
export BMC_PASSWORD=admin-secret RF_PASSWORD=admin-secret
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/ops.token"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/viewer.token"
chmod 600 "$tmp/ops.token" "$tmp/viewer.token"
cat >"$tmp/collector.yml" <<EOF
global:
  listen: 127.0.0.1:$HTTP
  database: $tmp/collector.db
  interval: 2s
  poller_threads: 1
profiles:
  admin: {user: admin, password_env: BMC_PASSWORD, cipher_suite: 17, privilege: administrator}
  rf: {user: admin, password_env: RF_PASSWORD}
targets:
  - name: bmc001
    address: 127.0.0.1:$IBASE
    profile: admin
    redfish: {url: "https://{host}:$RBASE", profile: rf, ca_file: $CA}
  - name: bmc002
    address: 127.0.0.1:$((IBASE + 1))
    profile: admin
    redfish: {url: "https://127.0.0.1:$((RBASE + 1))", profile: rf, ca_file: $CA}
api:
  media: {listen: "127.0.0.1:$MEDIA", dirs: [$tmp/iso], ttl: 6s}
  tokens:
    - {name: ops, role: operate, token_file: $tmp/ops.token}
    - {name: viewer, role: read, token_file: $tmp/viewer.token}
EOF
"$IC_BIN" daemon -c "$tmp/collector.yml" 2>"$tmp/daemon.log" &
daemon_pid=$!
for _ in $(seq 150); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] && break
  sleep 0.1
done
check "daemon ready" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")"

O="Authorization: Bearer $(cat "$tmp/ops.token")"
V="Authorization: Bearer $(cat "$tmp/viewer.token")"
req() { # METHOD PATH [BODY] [TOKEN HEADER]: body, then the status on the last line
  curl -s -X "$1" ${3:+-H "Content-Type: application/json" -d "$3"} -H "${4:-$O}" \
    -w '\n%{http_code}' --max-time 120 "$URL$2"
}
status() { tail -1 <<<"$1"; }
jget() { sed '$d' <<<"$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"; }

# ---- insert a local ISO, boot once from it ----
check "insert with a read token: 403" 403 \
  "$(status "$(req POST /api/v1/targets/bmc001/media "{\"image\":\"$tmp/iso/rescue.iso\"}" "$V")")"
boots=$(rs state 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["boots"])')
out=$(req POST /api/v1/targets/bmc001/media "{\"image\":\"$tmp/iso/rescue.iso\",\"boot_once\":true,\"power\":\"cycle\"}")
check "insert a local ISO, boot once, cycle: 200" 200 "$(status "$out")"
check "... the slot reads inserted" True "$(jget "$out" 'j["media"]["inserted"]')"
check "... the power is on" on "$(jget "$out" 'j["power"]')"
img=$(jget "$out" 'j["media"]["image"]')
check_match "... served under an unguessable one-time URL" "^http://127.0.0.1:$MEDIA/media/[0-9a-f]{64}/rescue.iso$" "$img"
check_match "the BMC fetched it: the same sha256" "CD inserted $SHA" "$(rs media 1)"
check "... and booted from it" "$SHA" \
  "$(rs last-boot 1 | python3 -c 'import json,sys; print(json.load(sys.stdin).get("sha256"))')"
check_match "... the simulator's log says so" "booted from virtual media $SHA" "$(rs log 1)"
check "... one boot more" $((boots + 1)) "$(rs state 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["boots"])')"
check "the URL still works while inserted" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$img")"
out=$(req GET /api/v1/targets/bmc001/media "" "$V")
check "media status with a read token" "200 True rescue.iso" \
  "$(status "$out") $(jget "$out" 'j["media"]["inserted"], j["media"]["image"].rsplit("/",1)[1]' | tr -d "(),'")"

# ---- eject ----
out=$(req DELETE /api/v1/targets/bmc001/media)
check "eject: 200, empty" "200 False" "$(status "$out") $(jget "$out" 'j["media"]["inserted"]')"
check_match "... the simulator's slot is empty" "empty" "$(rs media 1)"
check "... and the URL is gone" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$img")"

# ---- the URL expires (api.media.ttl: 6 s) ----
out=$(req POST /api/v1/targets/bmc002/media "{\"image\":\"$tmp/iso/rescue.iso\"}")
img2=$(jget "$out" 'j["media"]["image"]')
check "insert on bmc002: 200, the same sha256" "200 yes" \
  "$(status "$out") $(slot=$(rs media 2); [[ $slot == *"$SHA"* ]] && echo yes || echo no)"
check "... its URL works now" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$img2")"
sleep 7
check "... and not after the TTL" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$img2")"
check "a made-up URL on the media server: 404" 404 \
  "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MEDIA/media/$(printf '%064d' 0)/rescue.iso")"

# ---- refusals and failures ----
out=$(req POST /api/v1/targets/bmc001/media "{\"image\":\"$tmp/private/secret.iso\"}")
check "a file outside api.media.dirs: 400" 400 "$(status "$out")"
check_match "... says why" "not under api.media.dirs" "$(jget "$out" 'j["error"]')"
out=$(req POST /api/v1/targets/bmc001/media "{\"image\":\"$tmp/iso/sneaky.iso\"}")
check "a link out of the directory: 400" 400 "$(status "$out")"
check_match "... the BMC's slot stayed empty" "empty" "$(rs media 1)"
out=$(req POST /api/v1/targets/bmc001/media '{"image":"http://127.0.0.1:1/none.iso"}')
check "a URL the BMC cannot fetch: 502" 502 "$(status "$out")"
check_match "... with the BMC's reason" "InsertMedia|ResourceAtUri|CouldNotEstablish|connect" "$(jget "$out" 'j["error"]')"
rs down 2 >/dev/null
out=$(req POST /api/v1/targets/bmc002/power '{"action":"off","via":"redfish"}')
rs up 2 >/dev/null
check "Redfish power of a BMC that is down: 502" 502 "$(status "$out")"
check_match "... cannot connect" "[Cc]onnect|refused|unreachable" "$(jget "$out" 'j["error"]')"

# ---- power and boot override through Redfish ----
out=$(req POST /api/v1/targets/bmc002/power '{"action":"off","via":"redfish"}')
check "power off via redfish: 200, off" "200 off" "$(status "$out") $(jget "$out" 'j["power"]')"
check "... the simulator agrees" Off "$(rs power 2)"
out=$(req POST /api/v1/targets/bmc002/power '{"action":"on","via":"redfish"}')
check "power on via redfish" "200 On" "$(status "$out") $(rs power 2)"
out=$(req POST /api/v1/targets/bmc002/bootdev '{"device":"pxe","via":"redfish"}')
check "boot override pxe once via redfish" "200" "$(status "$out")"
check_match "... the simulator's boot override" "Once Pxe" "$(rs boot 2)"

# ---- audit ----
sleep 0.5
audit=$("$IC_BIN" audit -d "$tmp/collector.db" --json)
check "audit: the insert with its image and result" "ops media-insert ok" \
  "$(python3 -c 'import json,sys; r=[r for r in json.load(sys.stdin) if r["action"]=="media-insert" and r["targets"]=="bmc001"][0]; print(r["who"], r["action"], r["result"])' <<<"$audit")"
check "audit: no row for the status read" 0 \
  "$(python3 -c 'import json,sys; print(sum(r["action"]=="media-status" for r in json.load(sys.stdin)))' <<<"$audit")"
check "audit: the refused file" failed \
  "$(python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if "secret.iso" in json.dumps(r["params"])][0]["result"])' <<<"$audit")"

kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=
check "daemon stops cleanly" 0 "$rc"
check "no password or token in the daemon's log" 0 \
  "$(grep -c -F -e admin-secret -e "$(cat "$tmp/ops.token")" "$tmp/daemon.log")"
grep -E 'AddressSanitizer|runtime error' "$tmp/daemon.log" && bad "sanitizer lines in the daemon's log"
[ "$fail" -eq 0 ] || { echo "--- daemon log (last 30 lines)"; tail -30 "$tmp/daemon.log"; }
finish
