#!/usr/bin/env python3
"""Recording SMTP sink for email fixtures (scripts/record-email-fixtures.sh), on aiosmtpd.

Usage: smtp-sink.py PORT OUTDIR

Every message is saved as OUTDIR/<case>.<n>.eml (the DATA content, byte for byte, CRLF line ends as sent) and
OUTDIR/<case>.<n>.envelope (JSON: the EHLO/HELO name, MAIL FROM, RCPT TOs), where <case> is the local part of the
first recipient. The sink offers neither STARTTLS nor AUTH."""
import json, os, signal, sys, threading
from aiosmtpd.controller import Controller

PORT = int(sys.argv[1])
OUT = sys.argv[2]
lock = threading.Lock()
counts = {}


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        case = envelope.rcpt_tos[0].split("@")[0] if envelope.rcpt_tos else "none"
        with lock:
            n = counts.get(case, 0)
            counts[case] = n + 1
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, f"{case}.{n}.eml"), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(OUT, f"{case}.{n}.envelope"), "w") as f:
            json.dump({"hello": session.host_name, "mail_from": envelope.mail_from,
                       "rcpt_tos": envelope.rcpt_tos}, f, indent=1)
            f.write("\n")
        return "250 OK"


controller = Controller(Recorder(), hostname="127.0.0.1", port=PORT, decode_data=False)
controller.start()
# aiosmtpd's event loop thread keeps the process alive on SIGTERM: leave at once.
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
while True:
    signal.pause()
