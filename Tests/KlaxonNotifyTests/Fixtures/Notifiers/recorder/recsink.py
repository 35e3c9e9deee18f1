#!/usr/bin/env python3
"""Raw recording sink: writes every POST body byte-for-byte to OUT/<path>.<n>.body.
Answers 202 JSON on /pd*, 200 "ok" elsewhere. CONNECT is MITM'd with srv.pem (for PD v1)."""
import os, ssl, sys, threading, json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUT = sys.argv[2]
lock = threading.Lock()
counts = {}

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_CONNECT(self):
        self.send_response(200, "Connection established")
        self.end_headers()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain("srv.pem", "srv.key")
        conn = ctx.wrap_socket(self.connection, server_side=True)
        self.connection = conn
        self.rfile = conn.makefile("rb")
        self.wfile = conn.makefile("wb")
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        name = self.path.strip("/").replace("/", "_") or "root"
        with lock:
            i = counts.get(name, 0); counts[name] = i + 1
        with open(os.path.join(OUT, "%s.%d.body" % (name, i)), "wb") as f:
            f.write(body)
        with open(os.path.join(OUT, "%s.%d.headers" % (name, i)), "w") as f:
            f.write(str(dict(self.headers)))
        if "pd" in self.path or "create_event" in self.path:
            resp = b'{"status":"success","message":"Event processed","dedup_key":"x"}'
            self.send_response(202); self.send_header("Content-Type", "application/json")
        else:
            resp = b"ok"
            self.send_response(200); self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(resp)))
        self.end_headers(); self.wfile.write(resp); self.wfile.flush()

srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
srv.serve_forever()
