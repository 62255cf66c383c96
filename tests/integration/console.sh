#!/usr/bin/env bash
# Integration: `ipmi-collector console` (Serial-over-LAN) against an ipmi_sim
# BMC of ../shared/bmcsim with cipher suite 3 (SOL is not on the suite-17
# front): login and a command through a pipe, the boot log after a power
# reset, "already active" and --force, a takeover noticed by the first
# console, a wrong password, ~B, ~~, escapes only at the start of a line,
# --escape, leaving at end of input, the same line as ipmitool sol activate,
# SOL re-activated after the session was lost and re-established, and
# "SOL disabled" (the front answers Activate Payload with cc 0x81), raw mode on
# a terminal restored after ~. and after a signal.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

fleet_start 9911 1 --front
BASE=$IC_FLEET_BASE
FRONT=$((BASE + 30000))
H=127.0.0.1
IT="ipmitool -I lanplus -C 3 -H $H -p $BASE -U admin -P admin-secret"
SOLLOG=$BMCSIM_DIR/bmc001/sol-input.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; fleet_stop' EXIT
export IPMI_PASSWORD=admin-secret
CON=("$IC_BIN" console -H $H -p "$BASE" -U admin -E -C 3)

# feed STEPS...: prints each step after a pause; a step "+N" sleeps N seconds instead.
feed() {
  local s
  for s in "$@"; do
    case $s in
    +*) sleep "${s#+}" ;;
    *) sleep 0.4; printf '%b' "$s" ;;
    esac
  done
}
# the output lines without CR
lines() { tr -d '\r' <"$1"; }

# 1. a login and a command through a pipe; ~. leaves with status 0
feed +1 '\r' 'root\r' 'secret\r' 'hostname\r' +1 '~.' |
  timeout 60 "${CON[@]}" >"$tmp/o1" 2>"$tmp/e1"; rc=$?
check "login session: exit 0" 0 "$rc"
check_match "login prompt seen" 'host001 login:' "$(lines "$tmp/o1")"
check_match "hostname answered" '^host001$' "$(lines "$tmp/o1")"
check_match "shell prompt after login" 'root@host001:~# hostname' "$(lines "$tmp/o1")"
check_match "banner on stderr" '^\[SOL active; ~\. to leave' "$(cat "$tmp/e1")"
check_match "typed line reached the serial port" ' hostname$' "$(cat "$SOLLOG")"
check "output is raw bytes (CR LF kept)" 1 "$(grep -c $'^host001\r$' "$tmp/o1")"

# 2. the boot log of a power reset appears while the console is open
feed +14 '~.' | timeout 60 "${CON[@]}" >"$tmp/o2" 2>"$tmp/e2" &
con=$!
sleep 3
$IT chassis power reset >/dev/null 2>&1
wait $con; rc=$?
check "console during power reset: exit 0" 0 "$rc"
check_match "boot log: BIOS line" 'BMCSim BIOS v2\.47' "$(lines "$tmp/o2")"
check_match "boot log: kernel line" 'Linux version 6\.1\.0-bmcsim' "$(lines "$tmp/o2")"
check_match "boot log ends with a login prompt" 'host001 login: ' "$(lines "$tmp/o2")"

# 3. a second console: "already active" without --force; --force takes over and the
#    first console notices (its idle probe after 20 s: Get Payload Instance Info names
#    another session) and ends with an error
# (stdin from a process substitution: `wait` then returns when the console ends, not
#  when the feeder's last sleep does)
timeout 90 "${CON[@]}" >"$tmp/o3a" 2>"$tmp/e3a" < <(feed '\r' +45 '~.') &
first=$!
sleep 3
feed +1 '~.' | timeout 30 "${CON[@]}" >"$tmp/o3b" 2>"$tmp/e3b"; rc=$?
check "second console without --force: exit 12" 12 "$rc"
check_match "second console: clear message" 'SOL payload already active on another session \(use --force\)' "$(cat "$tmp/e3b")"
start=$SECONDS
feed +1 '\r' 'root\r' 'secret\r' 'echo taken-over\r' +20 '~.' |
  timeout 60 "${CON[@]}" --force >"$tmp/o3c" 2>"$tmp/e3c"; rc=$?
check "--force takes the payload over: exit 0" 0 "$rc"
check_match "--force console works" '^taken-over$' "$(lines "$tmp/o3c")"
wait $first; rc=$?
check "first console ends when taken over: exit 11" 11 "$rc"
check_match "first console says why" 'SOL payload taken over by another session' "$(cat "$tmp/e3a")"
elapsed=$((SECONDS - start))
check "first console ended before its own ~. (${elapsed} s after the takeover began)" yes "$([ $elapsed -lt 35 ] && echo yes || echo no)"

# 4. a wrong password: status 3, nothing activated
err=$(feed '~.' | IPMI_PASSWORD=wrong timeout 30 "${CON[@]}" 2>&1 >/dev/null); rc=$?
check "wrong password: exit 3" 3 "$rc"
check_match "wrong password: message" 'password' "$err"

# 5. ~B sends a break; the session goes on. ~~ sends one ~. An escape in mid-line is text.
#    ipmi_sim passes a break to its TCP serial port as telnet IAC BRK (ff f3), which
#    the fake console takes for two latin-1 characters: that line is the evidence.
feed +1 '\r' '~B' '\r' 'echo after-break\r' '~~x\r' 'echo a~.b\r' +1 '~.' |
  timeout 30 "${CON[@]}" >"$tmp/o5" 2>"$tmp/e5"; rc=$?
check "break session: exit 0" 0 "$rc"
check_match "break acknowledged on stderr" '\[sending break\]' "$(cat "$tmp/e5")"
check "break reached the serial port (IAC BRK)" 1 "$(grep -c $' \xc3\xbf\xc3\xb3$' "$SOLLOG")"
check_match "session continues after the break" '^after-break$' "$(lines "$tmp/o5")"
check_match "~~ sends a single ~" '-bash: ~x: command not found' "$(lines "$tmp/o5")"
check_match "~. in mid-line is sent as text" '^a~\.b$' "$(lines "$tmp/o5")"
check_match "typed ~x reached the port" ' ~x$' "$(cat "$SOLLOG")"

# 6. --escape: another character; ~. is then plain text
feed +1 '\r' 'echo tilde\r' '~.\r' '!.' |
  timeout 30 "${CON[@]}" --escape '!' >"$tmp/o6" 2>"$tmp/e6"; rc=$?
check "--escape !: exit 0" 0 "$rc"
check_match "--escape !: banner" '!\. to leave' "$(cat "$tmp/e6")"
check_match "--escape !: ~. was typed, not obeyed" '-bash: ~\.: command not found' "$(lines "$tmp/o6")"

# 7. end of input: leave once the output is quiet
start=$SECONDS
feed +1 'echo at-eof\r' | timeout 30 "${CON[@]}" >"$tmp/o7" 2>"$tmp/e7"; rc=$?
check "end of input: exit 0" 0 "$rc"
check_match "end of input: output complete" '^at-eof$' "$(lines "$tmp/o7")"
check "end of input: left within 10 s" yes "$([ $((SECONDS - start)) -lt 10 ] && echo yes || echo no)"

# 8. the same typed command through ipmitool sol activate gives the same line
feed +1 'uname\r' +1 '~.' | timeout 30 "${CON[@]}" >"$tmp/o8" 2>/dev/null
feed +1 'uname\r' +1 '~.' | timeout 30 $IT sol activate >"$tmp/i8" 2>/dev/null
ours=$(lines "$tmp/o8" | grep '^Linux host001')
theirs=$(lines "$tmp/i8" | grep '^Linux host001')
check_match "uname line through our console" '^Linux host001 ' "$ours"
check_match "uname line through ipmitool" '^Linux host001 ' "$theirs"
check "same line as ipmitool sol activate" "$theirs" "$ours"

# 9. the session is lost under the console (the process stopped past ipmi_sim's 30 s
#    session timeout, like a suspended laptop): it is re-established, SOL is activated
#    again on the new session, and typing goes on
timeout 120 "${CON[@]}" >"$tmp/o9" 2>"$tmp/e9" \
  < <(feed +1 '\r' 'echo before-loss\r' +45 'echo after-loss\r' +3 '~.') &
con=$!
sleep 4
kid=$(pgrep -P $con -x ipmi-collector || echo $con)
kill -STOP "$kid"
sleep 36
kill -CONT "$kid"
wait $con; rc=$?
check "console across a lost session: exit 0" 0 "$rc"
check_match "before the loss" '^before-loss$' "$(lines "$tmp/o9")"
check_match "after re-establishment and re-activation" '^after-loss$' "$(lines "$tmp/o9")"
check_match "typed line after the loss reached the port" ' echo after-loss$' "$(cat "$SOLLOG")"

# 10. SOL disabled: bmcsim's suite-17 front answers Activate Payload with cc 0x81
err=$(feed '~.' | timeout 30 "$IC_BIN" console -H $H -p $FRONT -U admin -E 2>&1 >/dev/null); rc=$?
check "SOL disabled: exit 10" 10 "$rc"
check_match "SOL disabled: message" 'SOL disabled on the BMC' "$err"

# 11. on a terminal: raw mode while active, restored after ~. and after SIGTERM
ptyrun() { # MODE: escape | term; prints "canon before=1 during=0 after=1 rc=N"
  python3 - "$1" "${CON[@]}" <<'PY'
import os, pty, select, signal, sys, termios, time
mode, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
canon = lambda: int(bool(termios.tcgetattr(fd)[3] & termios.ICANON))
before, out, end = canon(), b"", time.time() + 20
while b"SOL active" not in out and time.time() < end:
    if select.select([fd], [], [], 0.2)[0]:
        out += os.read(fd, 4096)
time.sleep(0.5)
during = canon()
if mode == "escape":
    os.write(fd, b"\r~.")
else:
    os.kill(pid, signal.SIGTERM)
while True:  # until the child has closed the terminal
    if select.select([fd], [], [], 0.2)[0]:
        try:
            if not os.read(fd, 4096):
                break
        except OSError:
            break
after = canon()
rc = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print(f"canon before={before} during={during} after={after} rc={rc}")
PY
}
check "terminal: raw while active, restored after ~." "canon before=1 during=0 after=1 rc=0" "$(ptyrun escape)"
check "terminal: restored after SIGTERM (exit 143)" "canon before=1 during=0 after=1 rc=143" "$(ptyrun term)"

# 12. usage errors
"$IC_BIN" console -H $H -p "$BASE" -U admin -E --escape ab >/dev/null 2>&1; rc=$?
check "--escape with two characters: exit 2" 2 "$rc"

finish
