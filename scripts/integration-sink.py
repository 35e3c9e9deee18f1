#!/usr/bin/env python3
"""Recording HTTP sink for integration fixtures (scripts/record-integration-fixtures.sh).

Usage: integration-sink.py PORT OUTDIR [CERT KEY]

Every request is saved as OUTDIR/<integration>/<case>.<n>.body (the body, byte for byte) and
OUTDIR/<integration>/<case>.<n>.request (method, target and the headers that matter, secrets included: the
recording config uses fake keys). <integration> is the first path segment (`/discord/default` -> discord,
case `default`); requests tunnelled through CONNECT (integrations whose URL Alertmanager hard-codes, such as
Pushover) are decrypted with CERT/KEY and named after the tunnelled host. Each integration gets the answer
its API gives on success."""
import json, os, re, ssl, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

OUT = sys.argv[2]
CERT = sys.argv[3] if len(sys.argv) > 3 else None
KEY = sys.argv[4] if len(sys.argv) > 4 else None
KEPT_HEADERS = ["Content-Type", "Authorization", "User-Agent", "Content-Length", "Host", "X-Amz-Date",
                "X-Amz-Security-Token"]
lock = threading.Lock()
counts = {}

ANSWERS = {
    "opsgenie": (202, "application/json", b'{"result":"Request will be processed","took":0.1,"requestId":"x"}'),
    "telegram": (200, "application/json",
                 b'{"ok":true,"result":{"message_id":7,"chat":{"id":-1001,"type":"group"},"date":0,"text":"x"}}'),
    "wechat-token": (200, "application/json", b'{"errcode":0,"errmsg":"ok","access_token":"wechat-token-1","expires_in":7200}'),
    "wechat": (200, "application/json", b'{"errcode":0,"errmsg":"ok"}'),
    "pushover": (200, "application/json", b'{"status":1,"request":"x"}'),
    "victorops": (200, "application/json", b'{"result":"success","entity_id":"x"}'),
    "webex": (200, "application/json", b'{"id":"x"}'),
    "discord": (204, None, b""),
    "sns": (200, "text/xml", b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
            b'<MessageId>x</MessageId></PublishResult><ResponseMetadata><RequestId>y</RequestId></ResponseMetadata>'
            b'</PublishResponse>'),
}


def names(host, target):
    parts = urlsplit(target)
    segments = [s for s in parts.path.split("/") if s]
    if host:  # tunnelled: the integration is the host's second-level name
        integration = host.split(":")[0].split(".")[-2]
        case = parse_qs(parts.query).get("user", ["request"])[0]
    else:
        integration = segments[0] if segments else "root"
        # OpsGenie's alias (the SHA-256 of the group key) is in the path: keep it in .request only.
        case = "_".join("ALIAS" if re.fullmatch("[0-9a-f]{64}", s) else s for s in segments[1:]) or "root"
    if integration == "wechat" and segments and segments[-1] == "gettoken":
        return "wechat", "gettoken", "wechat-token"
    if integration == "telegram":  # /telegram/bot<token>/sendMessage
        case = segments[-2] + "_" + segments[-1]
    if integration == "victorops":  # /victorops/<api key>/<routing key>
        case = segments[-1]
    return integration, case, integration


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    tunnel_host = None

    def log_message(self, *args):
        pass

    def do_CONNECT(self):
        host = self.path
        self.send_response(200, "Connection established")
        self.end_headers()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(CERT, KEY)
        conn = ctx.wrap_socket(self.connection, server_side=True)
        self.connection = conn
        self.rfile = conn.makefile("rb")
        self.wfile = conn.makefile("wb")
        self.tunnel_host = host
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()

    def record(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        integration, case, answer = names(self.tunnel_host, self.path)
        directory = os.path.join(OUT, integration)
        with lock:
            os.makedirs(directory, exist_ok=True)
            n = counts.get((integration, case), 0)
            counts[(integration, case)] = n + 1
        base = os.path.join(directory, "%s.%d" % (case, n))
        with open(base + ".body", "wb") as f:
            f.write(body)
        request = {"method": self.command, "target": self.path,
                   "headers": {h: self.headers[h] for h in KEPT_HEADERS if h in self.headers}}
        with open(base + ".request", "w") as f:
            json.dump(request, f, indent=1, sort_keys=True)
            f.write("\n")
        status, content_type, reply = ANSWERS.get(answer, (200, "text/plain", b"ok"))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
        self.wfile.flush()

    do_POST = record
    do_PUT = record
    do_GET = record


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
