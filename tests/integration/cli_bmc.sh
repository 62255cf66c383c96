#!/usr/bin/env bash
# Integration: `ipmi-collector bmc info` and `raw` against ../shared/bmcsim,
# cross-checked with ipmitool; every documented error and its exit status.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

fleet_start 9811 3 --front
BASE=$IC_FLEET_BASE
FRONT=$((BASE + 30000))
H=127.0.0.1
IT="ipmitool -I lanplus -H $H -U admin -P admin-secret -N 1 -R 2"

# ipmitool's view of BMC k through port P with suite C: "fw mfr product devid rev guid"
it_ident() {
  local port=$1 c=$2 info guid
  info=$($IT -C "$c" -p "$port" mc info)
  guid=$($IT -C "$c" -p "$port" mc guid | awk -F': ' '/System GUID/ {print $2}')
  printf '%s %s %s %s %s %s\n' \
    "$(awk -F': ' '/^Firmware Revision/ {print $2}' <<<"$info")" \
    "$(awk -F': ' '/^Manufacturer ID/ {print $2}' <<<"$info")" \
    "$(awk -F': ' '/^Product ID/ {split($2,a," "); print a[1]}' <<<"$info")" \
    "$(awk -F': ' '/^Device ID/ {print $2}' <<<"$info")" \
    "$(awk -F': ' '/^Device Revision/ {print $2}' <<<"$info")" \
    "$guid"
}
ic_ident() {
  local out=$1
  printf '%s %s %s %s %s %s\n' "$(json_get firmware_revision <<<"$out")" \
    "$(json_get manufacturer_id <<<"$out")" "$(json_get product_id <<<"$out")" \
    "$(json_get device_id <<<"$out")" "$(json_get device_revision <<<"$out")" \
    "$(json_get guid <<<"$out")"
}

# 1. bmc info through suite 3 on ipmi_sim equals ipmitool mc info + mc guid
for k in 1 2; do
  port=$((BASE + k - 1))
  out=$(ic bmc info -H $H -p $port -U admin -E -C 3 --json); rc=$?
  check "bmc$k suite 3 exit status" 0 "$rc"
  check "bmc$k suite 3 fields equal ipmitool -C 3" "$(it_ident $port 3)" "$(ic_ident "$out")"
  check "bmc$k suite 3 reported" 3 "$(json_get cipher_suite <<<"$out")"
  check "bmc$k ipmi_version" 2.0 "$(json_get ipmi_version <<<"$out")"
done
guid1=$(awk -F'\t' '$1=="bmc001" {print $6}' "$BMCSIM_DIR/fleet.tsv")
out=$(ic bmc info -H $H -p $BASE -U admin -E -C 3 --json)
check "bmc001 guid equals fleet.tsv" "$guid1" "$(json_get guid <<<"$out")"
check "bmc001 firmware 2.47" 2.47 "$(json_get firmware_revision <<<"$out")"
out=$(ic bmc info -H $H -p $((BASE + 1)) -U admin -E -C 3 --json)
check "bmc002 firmware 2.51" 2.51 "$(json_get firmware_revision <<<"$out")"

# 2. suite 17 (the default) through the RMCP+ front equals ipmitool -C 17
for k in 1 3; do
  port=$((FRONT + k - 1))
  out=$(ic bmc info -H $H -p $port -U admin -E --json); rc=$?
  check "front bmc$k suite 17 exit status" 0 "$rc"
  check "front bmc$k suite 17 fields equal ipmitool -C 17" "$(it_ident $port 17)" "$(ic_ident "$out")"
  check "front bmc$k default suite is 17" 17 "$(json_get cipher_suite <<<"$out")"
done

# 3. -C auto: 17 where offered, 3 where not (ipmi_sim does not list its suites)
out=$(ic bmc info -H $H -p $FRONT -U admin -E -C auto --json)
check "auto picks 17 on the front" 17 "$(json_get cipher_suite <<<"$out")"
out=$(ic bmc info -H $H -p $BASE -U admin -E -C auto --json -N 0.3)
check "auto falls back to 3 on ipmi_sim" 3 "$(json_get cipher_suite <<<"$out")"

# 4. text output
out=$(ic bmc info -H $H -p $BASE -U admin -E -C 3)
check_match "text output has firmware" 'Firmware Revision +: 2\.47' "$out"
check_match "text output has GUID" "System GUID +: $guid1" "$out"

# 5. suite 0 refused by default (ipmi_sim would accept it); allowed only with the loud option
err=$(ic bmc info -H $H -p $BASE -U admin -E -C 0 2>&1 >/dev/null); rc=$?
check "suite 0 refused: exit 6" 6 "$rc"
check_match "suite 0 refused: message" 'suite 0 has no authentication' "$err"
out=$(ic bmc info -H $H -p $BASE -U admin -E -C 0 --insecure-allow-suite0 --json); rc=$?
check "suite 0 with --insecure-allow-suite0 works on ipmi_sim" "0 0" "$rc $(json_get cipher_suite <<<"$out")"
err=$(ic bmc info -H $H -p $FRONT -U admin -E -C 2 2>&1 >/dev/null); rc=$?
check "cleartext suite 2 refused without opt-in: exit 6" 6 "$rc"
out=$(ic bmc info -H $H -p $FRONT -U admin -E -C 2 --insecure-allow-cleartext --json); rc=$?
check "suite 2 with --insecure-allow-cleartext" "0 2" "$rc $(json_get cipher_suite <<<"$out")"

# 6. wrong password
err=$(PW=wrong-password ic bmc info -H $H -p $BASE -U admin -E -C 3 2>&1 >/dev/null); rc=$?
check "wrong password: exit 3" 3 "$rc"
check_match "wrong password: message" 'authentication failed for user admin' "$err"
err=$(PW=wrong-password ic bmc info -H $H -p $FRONT -U admin -E 2>&1 >/dev/null); rc=$?
check "wrong password suite 17: exit 3" 3 "$rc"

# 7. disabled user, unknown user
err=$(PW=olduser-pw ic bmc info -H $H -p $BASE -U olduser -E -C 3 2>&1 >/dev/null); rc=$?
check "disabled user: exit 4" 4 "$rc"
check_match "disabled user: message" 'user olduser is unknown or disabled' "$err"
err=$(ic bmc info -H $H -p $FRONT -U nosuchuser -E 2>&1 >/dev/null); rc=$?
check "unknown user: exit 4" 4 "$rc"

# 8. privilege: monitor is a USER-only account
err=$(PW=monitor-ro ic bmc info -H $H -p $BASE -U monitor -E -C 3 2>&1 >/dev/null); rc=$?
check "monitor at ADMINISTRATOR: exit 5" 5 "$rc"
check_match "privilege refused: message" 'may not have privilege ADMINISTRATOR.*-L USER' "$err"
out=$(PW=monitor-ro ic bmc info -H $H -p $BASE -U monitor -E -C 3 -L user --json); rc=$?
check "monitor at USER works" "0 2.47" "$rc $(json_get firmware_revision <<<"$out")"
out=$(PW=operator-password-20 ic bmc info -H $H -p $FRONT -U operator -E -L operator --json); rc=$?
check "20-character password, OPERATOR, suite 17" 0 "$rc"

# 9. an unsupported suite: ipmi_sim has no SHA-256
err=$(ic bmc info -H $H -p $BASE -U admin -E -C 17 -N 0.3 2>&1 >/dev/null); rc=$?
check "suite 17 on ipmi_sim: exit 6" 6 "$rc"
check_match "suite 17 on ipmi_sim: message" 'refused cipher suite 17' "$err"
err=$(ic bmc info -H $H -p $FRONT -U admin -E -C 7 --insecure-allow-weak-suites 2>&1 >/dev/null); rc=$?
check "suite 7 on the front: exit 6" 6 "$rc"
check_match "suite 7 refusal lists what the front offers" 'offers cipher suites: 1 2 3 15 16 17' "$err"

# 10. a paused BMC: no answer, documented exit status, bounded time
"$BMCSIM/bmcsim" -d "$BMCSIM_DIR" pause 3 >/dev/null
start=$(date +%s)
err=$(ic bmc info -H $H -p $((BASE + 2)) -U admin -E -C 3 -N 0.2 -R 2 2>&1 >/dev/null); rc=$?
took=$(( $(date +%s) - start ))
"$BMCSIM/bmcsim" -d "$BMCSIM_DIR" resume 3 >/dev/null
check "paused BMC: exit 7" 7 "$rc"
check_match "paused BMC: message" 'no answer to Get Channel Authentication Capabilities after 3 tries' "$err"
[ "$took" -lt 10 ] && ok "paused BMC: gave up (in ${took}s)" || bad "paused BMC took ${took}s"
out=$(ic bmc info -H $H -p $((BASE + 2)) -U admin -E -C 3 --json); rc=$?
check "resumed BMC answers again" 0 "$rc"

# 11. nothing listening: ICMP port unreachable
err=$(ic bmc info -H $H -p 9 -U admin -E -C 3 2>&1 >/dev/null); rc=$?
check "closed port: exit 8" 8 "$rc"
err=$(ic bmc info -H no-such-host.invalid -U admin -E 2>&1 >/dev/null); rc=$?
check "unresolvable name: exit 8" 8 "$rc"

# 12. raw equals ipmitool raw; a non-zero completion code is exit 10
want=$($IT -C 3 -p $BASE raw 0x06 0x01 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
out=$(ic raw -H $H -p $BASE -U admin -E -C 3 0x06 0x01 --json); rc=$?
check "raw Get Device ID exit status" 0 "$rc"
got=$(python3 -c 'import json,sys; print(" ".join("%02x" % b for b in json.load(sys.stdin)["data"]))' <<<"$out")
check "raw Get Device ID bytes equal ipmitool raw" "$want" "$got"
out=$(ic raw -H $H -p $FRONT -U admin -E 06 37); rc=$?
check_match "raw text output" '^cc 0x00' "$out"
out=$(ic raw -H $H -p $BASE -U admin -E -C 3 0x06 0xee 2>&1); rc=$?
check "raw unknown command: exit 10" 10 "$rc"
check_match "raw unknown command: completion code named" '0xc1 \(invalid' "$(tr 'A-Z' 'a-z' <<<"$out")"

# 13. argument and secret handling
err=$("$IC_BIN" bmc info -H $H -U admin -P admin-secret 2>&1); rc=$?
check "-P refused: exit 2" 2 "$rc"
check_match "-P refused: message" 'visible to every user' "$err"
pwf=$(mktemp); printf 'admin-secret\n' >"$pwf"; chmod 644 "$pwf"
err=$("$IC_BIN" bmc info -H $H -p $BASE -U admin -f "$pwf" -C 3 2>&1); rc=$?
check "world-readable password file refused: exit 2" 2 "$rc"
check_match "password file mode message" 'chmod 600' "$err"
chmod 600 "$pwf"
out=$("$IC_BIN" bmc info -H $H -p $BASE -U admin -f "$pwf" -C 3 --json); rc=$?
check "password file (0600) works" "0 2.47" "$rc $(json_get firmware_revision <<<"$out")"
rm -f "$pwf"
err=$(IPMI_PASSWORD= "$IC_BIN" bmc info -H $H -p $BASE -U admin -E 2>&1); rc=$?
check "empty IPMI_PASSWORD: exit 2" 2 "$rc"
err=$(ic bmc info -H $H -p $BASE -U '' -E -C 3 2>&1); rc=$?
check "anonymous user refused: exit 2" 2 "$rc"

# 14. K_g: a BMC without one computes the session key from the password, so a
# K_g we add makes RAKP 4 fail after a good RAKP 2: told apart from a wrong password
kgf=$(mktemp); printf '0x0102030405060708090a0b0c0d0e0f1011121314' >"$kgf"; chmod 600 "$kgf"
err=$(ic bmc info -H $H -p $BASE -U admin -E -C 3 -k "$kgf" 2>&1 >/dev/null); rc=$?
check "unexpected K_g: exit 3" 3 "$rc"
check_match "unexpected K_g: message names K_g" 'K_g' "$err"
printf '0xzz' >"$kgf"
err=$(ic bmc info -H $H -p $BASE -U admin -E -C 3 -k "$kgf" 2>&1 >/dev/null); rc=$?
check "malformed K_g file: exit 2" 2 "$rc"
rm -f "$kgf"

# 15. presence ping: no session, no credentials
out=$("$IC_BIN" bmc ping -H $H -p $BASE --json); rc=$?
check "ping ipmi_sim" "0 True" "$rc $(json_get ipmi_supported <<<"$out")"
out=$("$IC_BIN" bmc ping -H $H -p $FRONT); rc=$?
check_match "ping the front" 'presence pong in [0-9]+ ms, IPMI supported' "$out"
"$IC_BIN" bmc ping -H $H -p 9 >/dev/null 2>&1; rc=$?
check "ping a closed port: exit 8" 8 "$rc"
"$BMCSIM/bmcsim" -d "$BMCSIM_DIR" pause 2 >/dev/null
"$IC_BIN" bmc ping -H $H -p $((BASE + 1)) -N 0.2 -R 1 >/dev/null 2>&1; rc=$?
"$BMCSIM/bmcsim" -d "$BMCSIM_DIR" resume 2 >/dev/null
check "ping a paused BMC: exit 7" 7 "$rc"

finish
