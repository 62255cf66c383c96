#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""attach.py - a test client for the daemon's console attach (docs/api.md): POST
.../console/attach with "Upgrade: ipmi-collector-console", then types each --send
string (after --wait seconds between them) and prints what the console sends back,
until --until appears (exit 0) or --timeout passes (exit 1). Prints the HTTP status
line and the server's first line ("OK" or "ERR ...") on stderr.
"""
import argparse
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--send", action="append", default=[])
    ap.add_argument("--wait", type=float, default=0.5)
    ap.add_argument("--until", default="")
    ap.add_argument("--hold", type=float, default=0, help="stay attached this long after --until")
    ap.add_argument("--timeout", type=float, default=15)
    a = ap.parse_args()
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    req = (f"POST /api/v1/targets/{a.target}/console/attach HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           f"Authorization: Bearer {a.token}\r\nConnection: Upgrade\r\n"
           f"Upgrade: ipmi-collector-console\r\nContent-Length: 0\r\n\r\n")
    s.sendall(req.encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    status = head.split(b"\r\n")[0].decode(errors="replace")
    print(status, file=sys.stderr)
    if " 101 " not in status + " ":
        print(rest.decode(errors="replace"), file=sys.stderr)
        return 2
    while b"\n" not in rest:
        d = s.recv(4096)
        if not d:
            break
        rest += d
    first, _, rest = rest.partition(b"\n")
    print(first.decode(errors="replace"), file=sys.stderr)
    if first != b"OK":
        return 3
    out = rest
    end = time.time() + a.timeout
    s.settimeout(0.2)
    for text in a.send:
        time.sleep(a.wait)
        s.sendall(text.encode().decode("unicode_escape").encode("latin-1"))
    found_at = None
    while time.time() < end:
        try:
            d = s.recv(4096)
            if not d:
                break
            out += d
        except socket.timeout:
            pass
        if a.until and found_at is None and a.until.encode() in out:
            found_at = time.time()
        if found_at is not None and time.time() - found_at >= a.hold:
            break
    sys.stdout.write(out.decode(errors="replace"))
    s.close()
    return 0 if (not a.until or a.until.encode() in out) else 1


if __name__ == "__main__":
    sys.exit(main())
