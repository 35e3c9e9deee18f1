#!/usr/bin/env python3
"""Receiver outage: four webhook receivers go down in four ways for --outage seconds, then recover, while a fifth,
healthy receiver keeps getting its notifications. Timers are in seconds (group_wait 1s, group_interval 2s) so the
test runs in minutes. Counts what a user would notice:

  probe delay        a new group of the healthy receiver, posted during the outage, notified within
                     --max-delay s of its post (group_wait 1s plus scheduling)                    else a failure
  groups missed      a group due at recovery (new during the outage, or changed during it) not notified
                     with its current alerts within --recovery s after the sink recovered         must be 0
  duplicates         a group notified again with the alerts it was last notified with, within
                     repeat_interval (1h: longer than the run)                                    must be 0
  RSS                klaxon's VmRSS sampled once a second; the slope during the outage is printed, and the
                     RSS at the end must not exceed the RSS at the outage's start by more than --rss-growth MiB

The outages: refuse (nothing listens on the port), hang (the sink reads the request and never answers, until klaxon
gives up and closes), 500 (the sink answers 500), 429 (the sink answers 429 Too Many Requests).

Before the outage every outage receiver gets --groups groups of two alerts, and the script waits until each was
notified. During it, half of those groups get a third alert (they are due again), --groups new groups arrive, and
every alert is resent every --resend s, as Prometheus does.

Usage: outage.py --klaxon .build/release/klaxon [--outage 600] [--groups 20]
Prints the figures and exits 1 on a failure.
"""
import argparse, json, math, os, select, shutil, socket, statistics, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reliability import Klaxon, free_port, open_fds, request, rfc3339, rss_mib, webhook_config

KINDS = ["refuse", "hang", "500", "429"]


class Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


class Sink:
    """A webhook receiver on its own port. While `down`, it fails the way its kind says; deliveries it answers 200
    are recorded as (time, groupKey, firing instances)."""

    def __init__(self, kind):
        self.kind = kind
        self.port = free_port()
        self.lock = threading.Lock()
        self.delivered = []
        self.failed_attempts = 0
        self.down = False
        self.server = None
        self.connections = set()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with sink.lock:
                    sink.connections.add(self.connection)

            def finish(self):
                with sink.lock:
                    sink.connections.discard(self.connection)
                super().finish()

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if sink.down:
                    with sink.lock:
                        sink.failed_attempts += 1
                    if sink.kind == "hang":
                        self.hang()
                        return
                    self.send_response(int(sink.kind))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                firing = frozenset(a["labels"]["instance"] for a in body["alerts"] if a["status"] == "firing")
                with sink.lock:
                    sink.delivered.append((time.time(), body["groupKey"], firing))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def hang(self):
                # Never answer: wait until klaxon closes the connection (its deadline) or the outage ends, then close.
                self.close_connection = True
                while sink.down:
                    readable, _, _ = select.select([self.connection], [], [], 0.5)
                    if readable and not self.connection.recv(1, socket.MSG_PEEK):
                        return

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.listen()

    def listen(self):
        self.server = Server(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def fail(self):
        self.down = True
        if self.kind == "refuse":
            # Nothing listens, and the connections klaxon keeps alive are closed too.
            self.server.shutdown()
            self.server.server_close()
            with self.lock:
                for connection in self.connections:
                    try:
                        connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

    def recover(self):
        self.down = False
        if self.kind == "refuse":
            self.listen()

    def stop(self):
        self.down = False
        self.server.shutdown()
        self.server.server_close()


def slope_per_minute(samples):
    """Least-squares slope of (time, value) samples, per minute."""
    if len(samples) < 2:
        return 0.0
    ts = [t for t, _ in samples]
    vs = [v for _, v in samples]
    mt, mv = statistics.fmean(ts), statistics.fmean(vs)
    den = sum((t - mt) ** 2 for t in ts)
    return 60 * sum((t - mt) * (v - mv) for t, v in samples) / den if den else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--klaxon", required=True)
    ap.add_argument("--outage", type=float, default=600, help="seconds each sink is down")
    ap.add_argument("--groups", type=int, default=20, help="groups per outage receiver before the outage")
    ap.add_argument("--resend", type=float, default=5, help="seconds between resends of every alert")
    ap.add_argument("--recovery", type=float, default=30, help="seconds after recovery for every due group")
    ap.add_argument("--settle", type=float, default=10, help="seconds to watch for duplicates after that")
    ap.add_argument("--max-delay", type=float, default=3.0, help="the healthy receiver's allowed delay in s")
    ap.add_argument("--rss-growth", type=float, default=64, help="allowed RSS growth over the outage in MiB")
    args = ap.parse_args()

    healthy = Sink("healthy")
    sinks = {kind: Sink(kind) for kind in KINDS}
    work = tempfile.mkdtemp(prefix="klaxon-outage-")
    config = webhook_config(work, healthy.port, {kind: sinks[kind].port for kind in KINDS})
    klaxon = Klaxon(args.klaxon, config, work)
    url = klaxon.url
    failures = []
    try:
        klaxon.start()
        proc = klaxon.proc

        # The alerts each outage receiver's groups hold: (kind, group) -> set of instances.
        firing = {(kind, g): {"0", "1"} for kind in KINDS for g in range(args.groups)}
        firing_lock = threading.Lock()
        stop = threading.Event()
        phase = {"name": "warm-up"}
        probes = {}  # alertname -> (phase, post time)
        rss = []  # (time, KiB, open fds)

        def alerts(kind, g, instances):
            return [{"labels": {"alertname": f"{kind}-G{g}", "sink": kind, "instance": i}} for i in sorted(instances)]

        def post(body):
            try:
                request(url + "/api/v2/alerts", "POST", body, timeout=5)
                return True
            except Exception as error:
                print(f"post failed: {error}", file=sys.stderr)
                return False

        def resend():
            while not stop.wait(args.resend):
                with firing_lock:
                    body = [a for (kind, g), inst in firing.items() for a in alerts(kind, g, inst)]
                post(body)

        def probe():
            # A new healthy group every second; it resolves 5 s later, so groups do not pile up.
            n = 0
            while not stop.wait(1):
                n += 1
                name = f"H{n}"
                posted = time.time()
                if post([{"labels": {"alertname": name, "instance": "0"}, "endsAt": rfc3339(posted + 5)}]):
                    probes[name] = (phase["name"], posted)

        def sample():
            while not stop.wait(1):
                try:
                    rss.append((time.time(), rss_mib(proc.pid) * 1024, open_fds(proc.pid), phase["name"]))
                except OSError:
                    pass

        with firing_lock:
            post([a for (kind, g), inst in firing.items() for a in alerts(kind, g, inst)])
        threads = [threading.Thread(target=t, daemon=True) for t in (resend, probe, sample)]
        for t in threads:
            t.start()

        def notified(kind, g, instances, since=0.0):
            key = f'{{}}/{{sink="{kind}"}}:{{alertname="{kind}-G{g}"}}'
            with sinks[kind].lock:
                return any(k == key and f == frozenset(instances) and t >= since for t, k, f in sinks[kind].delivered)

        deadline = time.time() + 20
        while not all(notified(kind, g, {"0", "1"}) for kind in KINDS for g in range(args.groups)):
            if time.time() > deadline:
                raise SystemExit("the groups were not notified before the outage")
            time.sleep(0.2)

        # The outage: every sink fails its way; half of the groups change, new groups arrive.
        phase["name"] = "outage"
        outage_start = time.time()
        for sink in sinks.values():
            sink.fail()
        time.sleep(min(5, args.outage / 4))
        with firing_lock:
            for kind in KINDS:
                for g in range(0, args.groups, 2):
                    firing[(kind, g)] = {"0", "1", "2"}
                for g in range(args.groups, 2 * args.groups):
                    firing[(kind, g)] = {"0", "1"}
            post([a for (kind, g), inst in firing.items() for a in alerts(kind, g, inst)])
        time.sleep(max(0, outage_start + args.outage - time.time()))

        phase["name"] = "recovery"
        recovered = time.time()
        for sink in sinks.values():
            sink.recover()
        due = [(kind, g) for kind in KINDS for g in range(2 * args.groups) if g >= args.groups or g % 2 == 0]
        pending = set(due)
        delays = {}
        while pending and time.time() < recovered + args.recovery:
            for kind, g in list(pending):
                if notified(kind, g, firing[(kind, g)], since=recovered):
                    pending.discard((kind, g))
                    with sinks[kind].lock:
                        first = min(t for t, k, f in sinks[kind].delivered if t >= recovered and k.endswith(
                            f'{{alertname="{kind}-G{g}"}}'))
                    delays[(kind, g)] = first - recovered
            time.sleep(0.2)
        time.sleep(args.settle)
        phase["name"] = "end"
        stop.set()
        ended = time.time()
        for t in threads:
            t.join(timeout=10)

        # Duplicates: a group notified again with what it was last notified with, within repeat_interval.
        duplicates = 0
        for kind in KINDS + ["healthy"]:
            sink = sinks.get(kind, healthy)
            last = {}
            with sink.lock:
                for t, key, inst in sink.delivered:
                    previous = last.get(key)
                    if previous is not None and previous[1] == inst and inst and t - previous[0] < 3600:
                        duplicates += 1
                        print(f"duplicate: {kind} {key} {sorted(inst)} again after {t - previous[0]:.1f}s")
                    last[key] = (t, inst)

        # The healthy receiver: every probe notified, and how soon.
        with healthy.lock:
            first_seen = {}
            for t, key, inst in healthy.delivered:
                name = key.split('alertname="')[-1].rstrip('"}')
                if inst and name not in first_seen:
                    first_seen[name] = t
        by_phase = {}
        for name, (when, posted) in probes.items():
            if posted > ended - args.max_delay:
                continue  # posted too late to be due before the end
            by_phase.setdefault(when, []).append(first_seen.get(name, float("inf")) - posted)

        outage_rss = [(t, kib / 1024) for t, kib, _, p in rss if p == "outage"]
        start_rss = outage_rss[0][1] if outage_rss else 0
        end_rss = rss[-1][1] / 1024 if rss else 0
        peak_rss = max((kib / 1024 for _, kib, _, _ in rss), default=0)
        fds = [n for _, _, n, _ in rss]

        print(f"outage {args.outage:.0f}s, {args.groups} groups per receiver before it and {args.groups} new during "
              f"it; kinds {', '.join(KINDS)}")
        for kind in KINDS:
            mine = [delays[(k, g)] for (k, g) in due if k == kind and (k, g) in delays]
            missing = sum(1 for (k, g) in due if k == kind and (k, g) in pending)
            attempts = "connections refused" if kind == "refuse" else f"{sinks[kind].failed_attempts} failed attempts"
            print(f"  {kind:>6}: {attempts} during the outage; "
                  f"{len(mine)}/{len(mine) + missing} due groups notified after recovery, "
                  f"within {max(mine, default=0):.1f}s (median {statistics.median(mine) if mine else 0:.1f}s)")
        for when in ("warm-up", "outage", "recovery"):
            values = sorted(by_phase.get(when, []))
            if values:
                late = [v for v in values if v > args.max_delay]
                print(f"  healthy receiver, probes posted during {when}: {len(values)}, delay median "
                      f"{statistics.median(values):.2f}s, p99 {values[math.ceil(0.99 * len(values)) - 1]:.2f}s, "
                      f"max {values[-1]:.2f}s, over {args.max_delay}s: {len(late)}")
                if when == "outage" and late:
                    failures.append(f"{len(late)} healthy probes late or missing during the outage")
        print(f"  duplicates within repeat_interval: {duplicates}")
        quarters = [outage_rss[len(outage_rss) * q // 4][1] for q in (1, 2, 3)] if outage_rss else []
        print(f"  RSS MiB: at outage start {start_rss:.1f}, after 1/4, 1/2, 3/4 of it "
              f"{', '.join(f'{v:.1f}' for v in quarters)}, at end {end_rss:.1f}, peak {peak_rss:.1f}; slope during "
              f"the outage {slope_per_minute(outage_rss):+.2f} MiB/min; open fds min {min(fds, default=0)} "
              f"max {max(fds, default=0)}")
        if pending:
            failures.append(f"{len(pending)} due groups not notified within {args.recovery}s of recovery: "
                            f"{sorted(pending)[:8]}")
        if duplicates:
            failures.append(f"{duplicates} duplicates")
        if end_rss - start_rss > args.rss_growth:
            failures.append(f"RSS grew {end_rss - start_rss:.1f} MiB over the outage")
        if proc.poll() is not None:
            failures.append(f"klaxon exited with {proc.returncode}")
    finally:
        klaxon.stop()
        for sink in list(sinks.values()) + [healthy]:
            sink.stop()
    if failures:
        print("FAILED: " + "; ".join(failures))
        print(f"klaxon's log is kept in {work}")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("OK")


if __name__ == "__main__":
    main()
