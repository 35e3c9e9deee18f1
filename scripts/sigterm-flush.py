#!/usr/bin/env python3
"""SIGTERM in the middle of a flush: a webhook sink takes --delay s to answer; while klaxon waits for it, klaxon gets
SIGTERM (as a supervisor or `systemctl stop` sends). Klaxon is restarted and the alert resent, as Prometheus does.
The notification must end delivered: answered by the sink while klaxon still waited for it, or sent again after the
restart. Sent again after an answer klaxon waited for is a duplicate. Klaxon lets a send in flight finish for up to
15 s after SIGTERM (Dispatcher.defaultDrainLimit), so with a sink faster than that every notification must complete
before klaxon exits; one that needed the restart counts as not drained, a failure.

Each round uses a new alert; the SIGTERM comes at a random moment within the sink's delay.

Klaxon, like Alertmanager, keeps alerts in memory only: after a restart it has them again when the sender resends.

Usage: sigterm-flush.py --klaxon .build/release/klaxon [--rounds 5] [--delay 3]
Prints per round what happened and exits 1 when a notification was lost, sent twice, or (sink under 15 s) not
completed before klaxon exited.
"""
import argparse, json, os, random, select, shutil, socket, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reliability import Klaxon, webhook_config, request


class SlowSink:
    """Answers every webhook after `delay` s; records (alertname, arrived, answered: True when the connection was
    still open when the answer went out, False when klaxon had closed it)."""

    def __init__(self, delay):
        self.lock = threading.Lock()
        self.requests = []
        self.arrived = threading.Event()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                name = body["groupLabels"].get("alertname", "")
                arrived = time.time()
                sink.arrived.set()
                # Wait, noticing when klaxon gives up and closes the connection.
                open_ = True
                while time.time() < arrived + delay:
                    readable, _, _ = select.select([self.connection], [], [], 0.05)
                    if readable and not self.connection.recv(1, socket.MSG_PEEK):
                        open_ = False
                        break
                if open_:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                with sink.lock:
                    sink.requests.append((name, arrived, open_))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--klaxon", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--delay", type=float, default=3.0, help="seconds the sink takes to answer")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sink = SlowSink(args.delay)
    work = tempfile.mkdtemp(prefix="klaxon-sigterm-")
    config = webhook_config(work, sink.port)
    klaxon = Klaxon(args.klaxon, config, work)
    lost = duplicates = not_drained = 0
    drain_limit = 15.0
    try:
        for round_ in range(args.rounds):
            name = f"Flush{round_}"
            alert = [{"labels": {"alertname": name, "instance": "0"}}]
            klaxon.start()
            sink.arrived.clear()
            request(klaxon.url + "/api/v2/alerts", "POST", alert)
            if not sink.arrived.wait(10):
                raise SystemExit(f"round {round_}: the sink got nothing")
            time.sleep(rng.uniform(0, args.delay * 0.9))
            term = time.time()
            code = klaxon.stop(timeout=30)
            exited = time.time()
            klaxon.start()
            request(klaxon.url + "/api/v2/alerts", "POST", alert)
            time.sleep(args.delay + 4)
            klaxon.stop()
            with sink.lock:
                mine = [(arrived, answered) for n, arrived, answered in sink.requests if n == name]
            before = [answered for arrived, answered in mine if arrived < exited]
            after = [answered for arrived, answered in mine if arrived >= exited]
            delivered_before = any(before)
            delivered_after = any(after)
            outcome = ("completed before exit" if delivered_before and not after else
                       "retried after restart" if delivered_after and not delivered_before else
                       "DUPLICATE" if delivered_before and after else "LOST")
            if outcome == "LOST":
                lost += 1
            if outcome == "DUPLICATE":
                duplicates += 1
            if outcome == "retried after restart" and args.delay < drain_limit:
                not_drained += 1
            print(f"round {round_}: SIGTERM {term - mine[0][0]:.2f}s into the sink's {args.delay}s, klaxon exited "
                  f"{exited - term:.2f}s later (code {code}); requests before exit {len(before)} (answered "
                  f"{sum(before)}), after restart {len(after)}: {outcome}")
    finally:
        klaxon.stop()
        sink.server.shutdown()
        sink.server.server_close()
    print(f"seed {args.seed}: {args.rounds} rounds, lost {lost}, duplicates {duplicates}, not completed before exit "
          f"{not_drained}")
    if lost or duplicates or not_drained:
        print(f"FAILED; klaxon's log is kept in {work}")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
