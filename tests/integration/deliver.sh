#!/usr/bin/env bash
# deliver.sh - alert delivery from the outbox (exporters/deliver.c), driven by
# delivertool against a python webhook receiver (receiver.py) and a real
# Alertmanager (Debian prometheus-alertmanager) on loopback:
#   1. every alert arrives, per-target order kept, signed, retried after 500s
#   2. a receiver that is down for a while gets everything once it is back
#   3. rows go dead after max_age; `alerts retry` brings them back; `alerts drop`
#   4. a reload (exp_deliver_set_receivers) fixes a receiver and removes another
#   5. Alertmanager: a firing alert is active with our labels and annotations,
#      its resolution makes it inactive
set -u
. "$(dirname "$0")/lib.sh"
: "${IC_DELIVERTOOL:?IC_DELIVERTOOL must point to the delivertool helper}"
DT=$IC_DELIVERTOOL
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${IC_DELIVER_PORT:-$(free_tcp)}
AMPORT=${IC_AM_PORT:-$(free_tcp)}

work=$(mktemp -d "${TMPDIR:-/tmp}/ic-deliver.XXXXXX")
rpid=
ampid=
cleanup() {
  [ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
  [ -n "$ampid" ] && kill "$ampid" 2>/dev/null && wait "$ampid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# rcv_start LOG [receiver.py options]: starts the receiver on PORT and waits for it.
rcv_start() {
  local log=$1
  shift
  python3 "$HERE/receiver.py" --port "$PORT" --log "$log" "$@" &
  rpid=$!
  for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && return 0
    sleep 0.1
  done
  echo "receiver did not start on port $PORT"
  exit 1
}
rcv_stop() {
  [ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
  rpid=
}

# analyze LOG N SECRET: facts about the requests a receiver recorded, one per line.
analyze() {
  python3 - "$@" <<'EOF'
import json, sys
log, n = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(log)]
acc = [r for r in recs if r["status"] == 200]
bodies = [json.loads(r["body"]) for r in recs]
keys = {b["id"] for b in bodies}
acc_keys = {json.loads(r["body"])["id"] for r in acc}
print("accepted", len(acc_keys) == 2 * n and keys == acc_keys)
print("signed", all(r["sig_ok"] for r in recs))
print("idempotency", all(r["headers"].get("Idempotency-Key") == b["id"] for r, b in zip(recs, bodies)))
print("headers", all(r["headers"].get("X-Team") == "ops" and
                     r["headers"].get("Content-Type") == "application/json" for r in recs))
ordered = True
for t in ("node-a", "node-b"):
    seq = [b["id"] for b in bodies if b["target"] == t]
    dedup = [k for i, k in enumerate(seq) if i == 0 or seq[i - 1] != k]
    want = ["%s-%s-%d" % (dedup[0].split("-")[0], t, i) for i in range(n)] if dedup else []
    ordered = ordered and dedup == want
print("ordered", ordered)
b = bodies[0] if bodies else {}
print("schema", b.get("version") == 1 and b.get("kind") == "sel" and b.get("status") == "firing"
      and b.get("labels") == {"rack": "r1"} and b.get("sel", {}).get("record_id") == 1
      and b.get("value") == 91.5 and b.get("threshold") is None and b.get("receiver") == "hook"
      and b.get("starts_at", "").endswith("Z"))
EOF
}
check_analysis() {
  local what=$1 facts=$2 name
  for name in accepted signed idempotency headers ordered schema; do
    check "$what: $name" "$name True" "$(printf '%s\n' "$facts" | grep "^$name ")"
  done
}

HOOK="name=hook,type=webhook,url=http://127.0.0.1:$PORT/hook,secret=s3cret,conc=2,header=X-Team:ops"

# ---- 1. every alert, in order, signed; the first three POSTs fail with 500 ----
db=$work/a.db
"$DT" "$db" put 10 --tag a --rcv hook
check "put exit" 0 $?
rcv_start "$work/a.log" --secret s3cret --fail-first 3 --state "$work/a.state"
out=$("$DT" "$db" run --deadline 60 --rcv "$HOOK")
check "run exit" 0 $?
check "run counters" "hook sent=20 failed=3 retried=3 dead=0" "$(printf '%s\n' "$out" | grep '^hook ')"
check "run outbox empty" "pending=0 dead=0" "$(printf '%s\n' "$out" | grep '^pending=')"
check_analysis "webhook" "$(analyze "$work/a.log" 10)"
rcv_stop

# ---- 2. the receiver is down for 3 s, then back on the same port ----
db=$work/b.db
"$DT" "$db" put 5 --tag b --rcv hook
"$DT" "$db" run --deadline 60 --rcv "$HOOK" >"$work/b.out" &
dtpid=$!
sleep 3
rcv_start "$work/b.log" --secret s3cret
wait "$dtpid"
check "down/up run exit" 0 $?
out=$(cat "$work/b.out")
check_match "down/up: all sent, failures retried" '^hook sent=10 failed=[1-9][0-9]* retried=[1-9][0-9]* dead=0$' \
  "$(printf '%s\n' "$out" | grep '^hook ')"
check_analysis "down/up" "$(analyze "$work/b.log" 5)"
rcv_stop

# ---- 3. dead after max_age; `alerts retry` and `alerts drop` ----
db=$work/c.db
"$DT" "$db" put 2 --tag c --rcv hook
out=$("$DT" "$db" run --deadline 30 --rcv "$HOOK,max_age=2000")
check "dead run counters" "hook sent=0 dead=4" \
  "$(printf '%s\n' "$out" | grep '^hook ' | sed 's/ failed=[0-9]* retried=[0-9]*//')"
check "dead run outbox" "pending=0 dead=4" "$(printf '%s\n' "$out" | grep '^pending=')"
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
out=$("$IC_BIN" alerts list -d "$db" --state dead --json)
check "alerts list dead" 4 "$(printf '%s' "$out" | json 'len(j)')"
check_match "alerts list last_error" "onnect|refused" "$(printf '%s' "$out" | json 'j[0]["last_error"]')"
check "alerts list key" "c-node-a-0" "$(printf '%s' "$out" | json 'j[0]["key"]')"
out=$("$IC_BIN" alerts list -d "$db" --state pending --json)
check "alerts list pending none" 0 "$(printf '%s' "$out" | json 'len(j)')"
check "alerts list csv rows" 5 "$("$IC_BIN" alerts list -d "$db" --csv | wc -l)"
"$IC_BIN" alerts retry 99999 -d "$db" >/dev/null 2>"$work/err"
check "alerts retry unknown exit" 1 $?
check_match "alerts retry unknown message" "no outbox row 99999" "$(cat "$work/err")"
"$IC_BIN" alerts retry -d "$db" >/dev/null 2>&1
check "alerts retry no id exit" 2 $?
last=$("$IC_BIN" alerts list -d "$db" --json | json 'j[-1]["id"]')
out=$("$IC_BIN" alerts drop "$last" -d "$db")
check "alerts drop exit" 0 $?
check_match "alerts drop message" "^dropped row $last \(dead, target node-b, receiver hook, alert c-node-b-1\)" "$out"
out=$("$IC_BIN" alerts retry --all-dead -d "$db")
check "alerts retry --all-dead" "retrying 3 dead rows" "$out"
out=$("$IC_BIN" alerts list -d "$db" --state pending --json)
check "alerts list pending after retry" 3 "$(printf '%s' "$out" | json 'len(j)')"
rcv_start "$work/c.log" --secret s3cret
out=$("$DT" "$db" run --deadline 30 --rcv "$HOOK")
check "after retry delivered" "hook sent=3 failed=0 retried=0 dead=0" "$(printf '%s\n' "$out" | grep '^hook ')"
check "after retry keys" "c-node-a-0 c-node-a-1 c-node-b-0" \
  "$(python3 -c 'import json,sys; print(" ".join(sorted(json.loads(json.loads(l)["body"])["id"] for l in open(sys.argv[1]))))' "$work/c.log")"
rcv_stop

# ---- 4. a reload: hook's URL is fixed, "gone" is removed; counters carry over ----
db=$work/e.db
"$DT" "$db" put 3 --tag e --rcv hook
rcv_start "$work/e.log" --secret s3cret
BROKEN="name=hook,type=webhook,url=http://127.0.0.1:$((PORT + 7))/nothing,secret=s3cret,conc=2,header=X-Team:ops"
GONE="name=gone,type=webhook,url=http://127.0.0.1:$((PORT + 7))/gone"
out=$("$DT" "$db" run --deadline 30 --rcv "$BROKEN" --rcv "$GONE" --reload 2 --rcv2 "$HOOK")
check "reload run exit" 0 $?
check_match "reload: one receiver, sent after failures" '^hook sent=6 failed=[1-9][0-9]* retried=[1-9][0-9]* dead=0$' \
  "$(printf '%s\n' "$out" | grep -v '^pending=')"
check_analysis "reload" "$(analyze "$work/e.log" 3)"
rcv_stop

# ---- 4b. TLS: the CA given verifies; without it, verification (on by default) refuses ----
if command -v openssl >/dev/null; then
  tls=$work/tls
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test CA" -keyout "$tls/ca.key" \
    -out "$tls/ca.pem" -addext "basicConstraints=critical,CA:TRUE" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/srv.key" \
    -out "$tls/srv.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1\n' >"$tls/ext"
  openssl x509 -req -in "$tls/srv.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 2 -extfile "$tls/ext" -out "$tls/srv.pem" >/dev/null 2>&1
  python3 "$HERE/receiver.py" --port "$PORT" --log "$work/t.log" --secret s3cret \
    --tls-cert "$tls/srv.pem" --tls-key "$tls/srv.key" &
  rpid=$!
  for _ in $(seq 50); do curl -skf -o /dev/null "https://127.0.0.1:$PORT/" && break; sleep 0.1; done
  TLSHOOK="name=hook,type=webhook,url=https://127.0.0.1:$PORT/hook,secret=s3cret,header=X-Team:ops"
  db=$work/t.db
  "$DT" "$db" put 1 --tag t --rcv hook
  out=$("$DT" "$db" run --deadline 4 --rcv "$TLSHOOK")
  check_match "TLS without our CA: refused, nothing sent" '^hook sent=0 failed=[1-9]' "$(printf '%s\n' "$out" | grep '^hook ')"
  out=$("$DT" "$db" run --deadline 30 --rcv "$TLSHOOK,ca=$tls/ca.pem")
  check_match "TLS with ca_file: delivered" "^hook sent=2 failed=0 retried=[0-9]+ dead=0$" "$(printf '%s\n' "$out" | grep '^hook ')"
  check "TLS: the receiver saw both, signed" "2 True" \
    "$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(len(r), all(x["sig_ok"] for x in r))' "$work/t.log")"
  rcv_stop
else
  bad "openssl (the command) is not installed"
fi

# ---- 5. Alertmanager ----
AM=$(command -v prometheus-alertmanager || true)
if [ -z "$AM" ]; then
  bad "prometheus-alertmanager is not installed (scripts/deps.sh installs it)"
  finish
  exit
fi
mkdir -p "$work/am"
cat >"$work/am/am.yml" <<'EOF'
route:
  receiver: blackhole
receivers:
  - name: blackhole
EOF
"$AM" --config.file="$work/am/am.yml" --storage.path="$work/am" \
  --web.listen-address="127.0.0.1:$AMPORT" --cluster.listen-address= >"$work/am/log" 2>&1 &
ampid=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$AMPORT/-/ready" && break
  sleep 0.1
done
AMR="name=am,type=alertmanager,url=http://127.0.0.1:$AMPORT/,resend=1000"
db=$work/d.db
"$DT" "$db" put 1 --kind sensor --identity "sensor/CPU1 Temp/critical" --tag am --rcv am
out=$("$DT" "$db" run --deadline 30 --min 3 --rcv "$AMR")
check "am firing sent (re-sends not counted)" "am sent=2 failed=0 retried=0 dead=0" "$(printf '%s\n' "$out" | grep '^am ')"
# amq PYTHON-EXPRESSION over j = GET /api/v2/alerts (active alerts, the default).
amq() { curl -sf "http://127.0.0.1:$AMPORT/api/v2/alerts" | json "$1"; }
check "am active alerts" 2 "$(amq 'len(j)')"
check "am labels" "CPU1 Temp IPMISensorState sensor node-a r1 critical" \
  "$(amq '" ".join(sorted(j, key=lambda a: a["labels"]["target"])[0]["labels"][k] for k in ("sensor", "alertname", "kind", "target", "rack", "severity"))')"
check "am annotations" "test alert 0 of node-b|91.5|90" \
  "$(amq '"|".join(sorted(j, key=lambda a: a["labels"]["target"])[1]["annotations"][k] for k in ("summary", "value", "threshold"))')"
check "am state" "active active" "$(amq '" ".join(a["status"]["state"] for a in j)')"
"$DT" "$db" put 1 --kind sensor --status resolved --identity "sensor/CPU1 Temp/critical" --tag amr --rcv am
out=$("$DT" "$db" run --deadline 30 --rcv "$AMR")
check "am resolved sent" "am sent=2 failed=0 retried=0 dead=0" "$(printf '%s\n' "$out" | grep '^am ')"
check "am resolved: no active alert" 0 "$(amq 'len(j)')"
check "am resolved: not shown even unfiltered" 0 \
  "$(curl -sf "http://127.0.0.1:$AMPORT/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true" | json 'len(j)')"

finish
