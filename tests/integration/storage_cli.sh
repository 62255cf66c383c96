#!/usr/bin/env bash
# storage_cli.sh - `inventory` and `query` against a database filled through
# the storage layer by storefill (tests/integration/storefill.c): concrete
# values in text, JSON (parsed with python3) and CSV, filters, exit statuses.
set -u
. "$(dirname "$0")/lib.sh"
: "${IC_STOREFILL:?IC_STOREFILL must point to the storefill helper}"

work=$(mktemp -d "${TMPDIR:-/tmp}/ic-storage-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/fleet.db
"$IC_STOREFILL" "$db"
check "storefill exit" 0 $?

# json FIELD-EXPRESSION: evaluates a Python expression over the parsed stdin as j.
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

# ---- inventory ----
out=$("$IC_BIN" inventory -d "$db"); rc=$?
check "inventory text exit" 0 "$rc"
check_match "inventory text header" '^name +\| address +\| configured' "$(printf '%s\n' "$out" | head -1)"
check_match "inventory text node-a" '^node-a +\| 10\.0\.0\.1:623 +\| yes +\| up +\|' "$(printf '%s\n' "$out" | sed -n 2p)"
check "inventory text rows" 3 "$(printf '%s\n' "$out" | wc -l)"

out=$("$IC_BIN" inventory -d "$db" --json)
check "inventory json count" 2 "$(printf '%s' "$out" | json 'len(j)')"
check "inventory json firmware" 2.47 "$(printf '%s' "$out" | json 'j[0]["firmware"]')"
check "inventory json manufacturer_id" 343 "$(printf '%s' "$out" | json 'j[0]["manufacturer_id"]')"
check "inventory json product_id" 4660 "$(printf '%s' "$out" | json 'j[0]["product_id"]')"
check "inventory json guid" 0123abcd-0000-1111-2222-333344445555 "$(printf '%s' "$out" | json 'j[0]["guid"]')"
check "inventory json serials" "BSN-A1 PSN-A1" "$(printf '%s' "$out" | json 'j[0]["board_serial"], j[0]["product_serial"]' | tr -d "(),'")"
check "inventory json labels" "db r2" "$(printf '%s' "$out" | json 'j[0]["labels"]["role"], j[1]["labels"]["rack"]' | tr -d "(),'")"
check "inventory json last_error" "no answer after 4 tries" "$(printf '%s' "$out" | json 'j[1]["last_error"]')"
check "inventory json null firmware" None "$(printf '%s' "$out" | json 'j[1]["firmware"]')"
check_match "inventory json last_seen" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "$(printf '%s' "$out" | json 'j[0]["last_seen"]')"

out=$("$IC_BIN" inventory -d "$db" --csv --where firmware=2.47)
check "inventory csv where rows" 2 "$(printf '%s\n' "$out" | wc -l)"
check_match "inventory csv where node-a" '^node-a,10\.0\.0\.1:623,yes,up,.*,Acme,343,4660,2\.47,2\.0,.*,"Server, 2U","rack=r1,role=db",' "$(printf '%s\n' "$out" | sed -n 2p | tr -d '\r')"
out=$("$IC_BIN" inventory -d "$db" --json --label rack=r2)
check "inventory label filter" node-b "$(printf '%s' "$out" | json '",".join(r["name"] for r in j)')"
out=$("$IC_BIN" inventory -d "$db" --json --label rack=r2 --where state=up)
check "inventory label+where none" 0 "$(printf '%s' "$out" | json 'len(j)')"
"$IC_BIN" inventory -d "$db" --where colour=red >/dev/null 2>"$work/err"
check "inventory unknown column exit" 2 $?
check_match "inventory unknown column message" "no inventory column 'colour'" "$(cat "$work/err")"
"$IC_BIN" inventory -d "$db" --where firmware >/dev/null 2>&1
check "inventory bad --where exit" 2 $?

# -c CONFIG: the database path comes from the configuration.
cat >"$work/c.yml" <<EOC
global:
  database: $db
profiles:
  p:
    user: admin
    password_env: BMC_PASSWORD
targets:
  - name: node-a
    address: 10.0.0.1:623
    profile: p
EOC
out=$(BMC_PASSWORD=x "$IC_BIN" inventory -c "$work/c.yml" --csv); rc=$?
check "inventory -c exit" 0 "$rc"
check "inventory -c rows" 3 "$(printf '%s\n' "$out" | wc -l)"

# ---- query sensor ----
out=$("$IC_BIN" query sensor -d "$db" node-a "CPU Temp" --json); rc=$?
check "query sensor exit" 0 "$rc"
check "query sensor rows" 3 "$(printf '%s' "$out" | json 'len(j)')"
check "query sensor downsampled" "downsampled 20 22 24 3" \
  "$(printf '%s' "$out" | json 'j[0]["kind"], j[0]["min"], j[0]["value"], j[0]["max"], j[0]["count"]' | tr -d "(),'")"
check_match "query sensor downsampled time" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9][05]:00Z$' "$(printf '%s' "$out" | json 'j[0]["time"]')"
check "query sensor raw" "raw 55.5 ok raw 81 critical" \
  "$(printf '%s' "$out" | json 'j[1]["kind"], j[1]["value"], j[1]["state"], j[2]["kind"], j[2]["value"], j[2]["state"]' | tr -d "(),'")"
out=$("$IC_BIN" query sensor -d "$db" node-a "CPU Temp" --since 1h --csv | tr -d '\r')
check "query sensor csv header" "time,kind,value,min,max,count,state,states" "$(printf '%s\n' "$out" | head -1)"
check "query sensor since: raw rows only" "raw,55.5|raw,81" "$(printf '%s\n' "$out" | sed 1d | cut -d, -f2,3 | paste -sd'|')"
"$IC_BIN" query sensor -d "$db" node-a "No Such" >/dev/null 2>"$work/err"
check "query sensor unknown exit" 1 $?
check_match "query sensor unknown message" "no stored sensor named 'No Such'" "$(cat "$work/err")"

# ---- query sel ----
out=$("$IC_BIN" query sel -d "$db" --json)
check "query sel all" 2 "$(printf '%s' "$out" | json 'len(j)')"
out=$("$IC_BIN" query sel -d "$db" --severity critical --json)
check "query sel critical" "node-a PSU1 Power Supply AC lost 2023-11-15T03:55:48Z" \
  "$(printf '%s' "$out" | json '" ".join(x for r in j for x in (r["target"], r["sensor"], r["event"], r["timestamp"]))')"
out=$("$IC_BIN" query sel -d "$db" --grep 'fan lower' --csv | tr -d '\r')
check "query sel grep rows" 2 "$(printf '%s\n' "$out" | wc -l)"
check_match "query sel grep node-b" '^node-b,.*,1,warning,FAN3,Fan Lower Non-critical going low,,0100024441546500' "$(printf '%s\n' "$out" | sed -n 2p)"
out=$("$IC_BIN" query sel -d "$db" --target node-b --severity critical --json)
check "query sel target+severity none" "[]" "$out"
out=$("$IC_BIN" query sel -d "$db")
check_match "query sel text" '^node-a +\| .* \| critical +\| PSU1 ' "$(printf '%s\n' "$out" | sed -n 2p)"

# ---- query states ----
out=$("$IC_BIN" query states -d "$db" --target node-b --json)
check "query states" "up down no answer after 4 tries" \
  "$(printf '%s' "$out" | json '" ".join([j[0]["state"], j[1]["state"], j[1]["error"]])')"
out=$("$IC_BIN" query states -d "$db" --since 30s --csv | tr -d '\r')
check "query states since" "target|node-b" "$(printf '%s\n' "$out" | cut -d, -f1 | paste -sd'|')"

# ---- errors ----
"$IC_BIN" inventory -d "$work/missing.db" >/dev/null 2>"$work/err"
check "missing db exit" 1 $?
check_match "missing db names the file" "$work/missing.db: No such file" "$(cat "$work/err")"
"$IC_BIN" query sel -d "$work/missing.db" >/dev/null 2>&1
check "query missing db exit" 1 $?
"$IC_BIN" inventory >/dev/null 2>&1
check "inventory without -d exit" 2 $?
"$IC_BIN" query bogus -d "$db" >/dev/null 2>&1
check "query bogus exit" 2 $?
"$IC_BIN" query sensor -d "$db" node-a >/dev/null 2>&1
check "query sensor one arg exit" 2 $?
"$IC_BIN" query sel -d "$db" --since yesterday >/dev/null 2>&1
check "query bad --since exit" 2 $?
"$IC_BIN" query sel -d "$db" --severity bad >/dev/null 2>&1
check "query bad --severity exit" 2 $?
"$IC_BIN" query states -d "$db" --grep x >/dev/null 2>&1
check "query states --grep exit" 2 $?
"$IC_BIN" query --help >/dev/null
check "query --help exit" 0 $?
# A file that is not ours: refused with a clear message, nothing written.
printf 'not a database at all, but long enough to look like a header......' >"$work/junk.db"
"$IC_BIN" inventory -d "$work/junk.db" >/dev/null 2>"$work/err"
check "junk db exit" 1 $?
check_match "junk db message" "junk.db: not an SQLite database" "$(cat "$work/err")"

finish
