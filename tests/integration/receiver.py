#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""receiver.py - a webhook receiver for tests/integration/deliver.sh (stdlib only).

Records every POST as one JSON line in --log: path, headers, the body as text,
whether X-Signature-256 verifies against --secret, and the status answered.
--fail-first N answers the first N POSTs with 500 (counted in --state, a file,
so that a restarted receiver keeps counting). GET / answers 200 (readiness).
"""
import argparse
import hashlib
import hmac
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--secret", default="")
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--state", default="")
    ap.add_argument("--tls-cert", default="", help="serve HTTPS with this certificate chain")
    ap.add_argument("--tls-key", default="")
    args = ap.parse_args()

    def seen_count():
        if not args.state or not os.path.exists(args.state):
            return 0
        with open(args.state) as f:
            return int(f.read() or 0)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"ok\n")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            sig = self.headers.get("X-Signature-256", "")
            want = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
            with lock:
                n = seen_count() + 1
                if args.state:
                    with open(args.state, "w") as f:
                        f.write(str(n))
                status = 500 if n <= args.fail_first else 200
                rec = {
                    "path": self.path,
                    "headers": {k: v for k, v in self.headers.items()},
                    "body": body.decode("utf-8"),
                    "sig_ok": hmac.compare_digest(sig, want),
                    "status": status,
                }
                with open(args.log, "a") as f:
                    f.write(json.dumps(rec) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    ThreadingHTTPServer.allow_reuse_address = True
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
