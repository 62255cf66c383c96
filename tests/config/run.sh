#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - golden configuration tests (OpenBSD bgpd regress style).
#
# For each NN.in: `ipmi-collector check-config -c NN.in --print` must print
# exactly NN.ok (the canonical configuration when the file is valid, the
# error lines otherwise). A valid file's printed form is parsed again and
# must print identically (idempotence). Each .in is copied to a scratch
# directory with mode 0644, or 0600 if its first line is "# mode: 0600";
# NN.inv inventory files are copied beside it, and two secret files are
# created there: pw.secret (0600) and pw-open.secret (0644).
# Environment: IC_BIN = the ipmi-collector binary. Prints "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${IC_BIN:?set IC_BIN to the ipmi-collector binary}
work=$(mktemp -d "${TMPDIR:-/tmp}/ic_cfg_golden.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
pass=0
fail=0

cp "$here"/*.inv "$work"/ 2>/dev/null
printf 'secret\n' > "$work/pw.secret"
chmod 600 "$work/pw.secret"
printf 'secret\n' > "$work/pw-open.secret"
chmod 644 "$work/pw-open.secret"

for in in "$here"/*.in; do
    t=$(basename "$in" .in)
    cp "$in" "$work/$t.in"
    if head -n 1 "$in" | grep -q '^# mode: 0600'; then
        chmod 600 "$work/$t.in"
    else
        chmod 644 "$work/$t.in"
    fi
    (cd "$work" && "$bin" check-config -c "$t.in" --print > "$t.out" 2> "$t.err")
    rc=$?
    if [ $rc -eq 0 ]; then got="$work/$t.out"; else got="$work/$t.err"; fi
    if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
        echo "FAIL $t: exit status $rc"
        cat "$work/$t.err"
        fail=$((fail + 1))
        continue
    fi
    if ! diff -u "$here/$t.ok" "$got"; then
        echo "FAIL $t: output differs from $t.ok"
        fail=$((fail + 1))
        continue
    fi
    if [ $rc -eq 0 ]; then
        (umask 077 && cp "$work/$t.out" "$work/$t.reparse.yml")
        if ! (cd "$work" && "$bin" check-config -c "$t.reparse.yml" --print > "$t.out2" 2> "$t.err2"); then
            echo "FAIL $t: the printed configuration does not parse:"
            cat "$work/$t.err2"
            fail=$((fail + 1))
            continue
        fi
        if ! diff -u "$work/$t.out" "$work/$t.out2"; then
            echo "FAIL $t: printing is not idempotent"
            fail=$((fail + 1))
            continue
        fi
    fi
    echo "ok   $t"
    pass=$((pass + 1))
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
