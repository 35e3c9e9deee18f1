#!/usr/bin/env python3
"""Soak: klaxon under steady load for --duration seconds (full: 3600, on demand: 300) with notifications flowing.

First the load client's ceiling is measured (--probe s of posting as fast as it can); the soak then posts at half of
that rate. The load is what Prometheus sends: a fixed set of --alerts alerts over --groups groups, re-sent in
batches of 100, and churn: every --churn-every s, 1% of the alerts resolve and as many new ones start firing (so the
alert store, the groups and the notification log keep changing). A silence is created and expired every minute.
Notifications go to a local webhook sink (group_wait 1s, group_interval 2s). klaxon runs with --alerts.gc-interval=1m
so that resolved alerts leave the store within the warm-up.

Every --sample s it records klaxon's RSS (VmRSS), its open file descriptors (/proc/<pid>/fd) and the p99 latency of
the ingest requests of that interval. After the warm-up (the first --warmup s, default a fifth of the run) it fits
a line to each and prints the slopes, and fails when:
  RSS grows by more than --max-rss-growth MiB per hour (least-squares slope after warm-up; judged only when at
  least 30 minutes follow the warm-up, since RSS levels off only after about ten minutes)
  klaxon's open file descriptors when idle after the run exceed those when idle before it by more than 50 (while
  the load runs they move with the connections in use, 40-160 in a one-hour run, so only idle counts compare; a
  descriptor leaked per request or per notification would show as hundreds of thousands)
  the p99 ingest latency of the last fifth exceeds the warm-up's p99 by more than --max-p99-ratio times
  an ingest request fails, or a group whose alerts changed is never notified

Usage: soak.py --klaxon .build/release/klaxon [--duration 3600]
Prints the figures (one JSON line at the end) and exits 1 on a failure.
"""
import argparse, http.client, json, os, shutil, statistics, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reliability import Klaxon, open_fds, request, rfc3339, rss_mib, webhook_config


class Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


class Sink:
    """A webhook receiver that counts notifications per group key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.notified = {}
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with sink.lock:
                    sink.notified[body["groupKey"]] = sink.notified.get(body["groupKey"], 0) + 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self):
        with self.lock:
            return sum(self.notified.values()), len(self.notified)






def slope_per_hour(points):
    """Least-squares slope of (t seconds, value) points, per hour."""
    if len(points) < 2:
        return 0.0
    ts, vs = [p[0] for p in points], [p[1] for p in points]
    mt, mv = statistics.fmean(ts), statistics.fmean(vs)
    den = sum((t - mt) ** 2 for t in ts)
    return 0.0 if den == 0 else sum((t - mt) * (v - mv) for t, v in zip(ts, vs)) / den * 3600


def p99(values):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


class Load:
    """The alert set: --alerts alerts named Soak000.. (one group per name), resent in batches of 100; churn replaces
    the oldest 1% with new instances (the replaced ones are posted resolved)."""

    def __init__(self, alerts, groups):
        self.groups = groups
        self.next_instance = 0
        self.active = [self.new_alert() for _ in range(alerts)]
        self.lock = threading.Lock()
        self.resolved = []

    def new_alert(self):
        i = self.next_instance
        self.next_instance += 1
        return {"alertname": f"Soak{i % self.groups:03d}", "instance": f"host-{i}", "tenant_id": f"t{i % 50:02d}"}

    def churn(self):
        with self.lock:
            n = max(1, len(self.active) // 100)
            self.resolved.extend(self.active[:n])
            self.active = self.active[n:] + [self.new_alert() for _ in range(n)]

    def batches(self):
        """Bodies for one pass over the alert set (and the alerts resolved since the last pass)."""
        now = time.time()
        with self.lock:
            active, resolved, self.resolved = list(self.active), self.resolved, []
        firing = [{"labels": labels, "startsAt": rfc3339(now - 60), "endsAt": rfc3339(now + 300)} for labels in active]
        ended = [{"labels": labels, "startsAt": rfc3339(now - 60), "endsAt": rfc3339(now - 1)} for labels in resolved]
        alerts = ended + firing
        return [json.dumps(alerts[i:i + 100]).encode() for i in range(0, len(alerts), 100)]


class Poster(threading.Thread):
    """Posts bodies from the shared queue over one keep-alive connection, at `rate` requests per second (0: as fast
    as it can), recording (time, latency) of each request."""

    def __init__(self, port, load, stop, rate=0.0):
        super().__init__(daemon=True)
        self.port, self.load, self.stop, self.rate = port, load, stop, rate
        self.latencies, self.errors, self.alerts = [], 0, 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        next_at = time.time()
        while not self.stop.is_set():
            for body in self.load.batches():
                if self.stop.is_set():
                    break
                if self.rate:
                    next_at += 1 / self.rate
                    delay = next_at - time.time()
                    if delay > 0:
                        time.sleep(delay)
                started = time.time()
                try:
                    conn.request("POST", "/api/v2/alerts", body, {"Content-Type": "application/json"})
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except Exception:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    ok = False
                done = time.time()
                self.latencies.append((done, done - started))
                if ok:
                    self.alerts += body.count(b'"labels"')
                else:
                    self.errors += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--klaxon", required=True)
    ap.add_argument("--duration", type=float, default=3600)
    ap.add_argument("--warmup", type=float, default=None)
    ap.add_argument("--probe", type=float, default=15)
    ap.add_argument("--alerts", type=int, default=20000)
    ap.add_argument("--groups", type=int, default=200)
    ap.add_argument("--posters", type=int, default=2)
    ap.add_argument("--churn-every", type=float, default=10)
    ap.add_argument("--sample", type=float, default=10)
    ap.add_argument("--max-rss-growth", type=float, default=20, help="MiB per hour after warm-up")
    ap.add_argument("--max-p99-ratio", type=float, default=3)
    o = ap.parse_args()
    warmup = o.warmup if o.warmup is not None else o.duration / 5

    work = tempfile.mkdtemp(prefix="klaxon-soak-")
    sink = Sink()
    # Resolved alerts leave the store at each alert GC; once a minute (Alertmanager's default is 30m) so the
    # churn reaches its steady state within the warm-up.
    klaxon = Klaxon(os.path.abspath(o.klaxon), webhook_config(work, sink.port), work, ["--alerts.gc-interval=1m"])
    klaxon.start()
    failures = []
    try:
        fds_idle_before = open_fds(klaxon.pid)
        load = Load(o.alerts, o.groups)
        # The client's ceiling: every poster flat out for --probe s.
        stop = threading.Event()
        posters = [Poster(klaxon.port, load, stop) for _ in range(o.posters)]
        for p in posters:
            p.start()
        time.sleep(o.probe)
        stop.set()
        for p in posters:
            p.join()
        ceiling = sum(len(p.latencies) for p in posters) / o.probe
        rate = ceiling / 2
        print(f"# client ceiling {ceiling:.0f} requests/s ({ceiling * 100:.0f} alerts/s); soaking at {rate:.0f}/s "
              f"for {o.duration:.0f} s", flush=True)

        stop = threading.Event()
        posters = [Poster(klaxon.port, load, stop, rate / o.posters) for _ in range(o.posters)]
        started = time.time()
        for p in posters:
            p.start()
        samples = []  # (t, rss MiB, fds, p99 of the interval in ms)
        last_churn = last_silence = started
        silence_id = None
        while time.time() - started < o.duration:
            time.sleep(o.sample)
            now = time.time()
            if now - last_churn >= o.churn_every:
                load.churn()
                last_churn = now
            if now - last_silence >= 60:
                last_silence = now
                if silence_id:
                    request(f"{klaxon.url}/api/v2/silence/{silence_id}", method="DELETE")
                body = {"matchers": [{"name": "alertname", "value": "Soak000", "isRegex": False}],
                        "startsAt": rfc3339(now), "endsAt": rfc3339(now + 3600), "createdBy": "soak",
                        "comment": "soak"}
                silence_id = json.loads(request(f"{klaxon.url}/api/v2/silences", "POST", body)[1])["silenceID"]
            window = [lat for p in posters for (t, lat) in p.latencies if t > now - o.sample]
            samples.append((now - started, rss_mib(klaxon.pid), open_fds(klaxon.pid), p99(window) * 1000))
            print(json.dumps({"t": round(now - started), "rss_mib": round(samples[-1][1], 1),
                              "fds": samples[-1][2], "p99_ms": round(samples[-1][3], 1),
                              "notifications": sink.count()[0]}), flush=True)
        stop.set()
        for p in posters:
            p.join()
        # Every group notified at least once (its alerts changed with the churn); give the last flush time, and the
        # connections time to close.
        time.sleep(5)
        if silence_id:
            request(f"{klaxon.url}/api/v2/silence/{silence_id}", method="DELETE")
        time.sleep(10)
        fds_idle_after = open_fds(klaxon.pid)
        notifications, groups = sink.count()
        after = [s for s in samples if s[0] >= warmup]
        warm = [s for s in samples if s[0] < warmup] or samples[:1]
        last_fifth = [s for s in samples if s[0] >= o.duration * 0.8] or samples[-1:]
        rss_slope = slope_per_hour([(s[0], s[1]) for s in after])
        fd_slope = slope_per_hour([(s[0], s[2]) for s in after])
        warm_p99 = statistics.median([s[3] for s in warm])
        last_p99 = statistics.median([s[3] for s in last_fifth])
        errors = sum(p.errors for p in posters)
        figures = {
            "duration_s": round(o.duration), "client_ceiling_alerts_per_s": round(ceiling * 100),
            "rate_alerts_per_s": round(sum(p.alerts for p in posters) / o.duration),
            "requests": sum(len(p.latencies) for p in posters), "errors": errors,
            "notifications": notifications, "groups_notified": groups, "groups": o.groups,
            "rss_mib_start": round(samples[0][1], 1), "rss_mib_after_warmup": round(after[0][1], 1) if after else None,
            "rss_mib_end": round(samples[-1][1], 1), "rss_slope_mib_per_hour": round(rss_slope, 2),
            "fds_idle_before": fds_idle_before, "fds_under_load_min": min(s[2] for s in samples),
            "fds_under_load_max": max(s[2] for s in samples), "fds_idle_after": fds_idle_after,
            "fd_slope_per_hour": round(fd_slope, 2),
            "p99_ms_warmup": round(warm_p99, 1), "p99_ms_last_fifth": round(last_p99, 1),
        }
        print(json.dumps(figures), flush=True)
        # RSS keeps rising for about ten minutes (the allocator's arenas, SQLite's caches) before it levels off, so
        # a slope over a shorter window says nothing about a leak: it is printed, not judged.
        judged = o.duration - warmup >= 1800
        if not judged:
            print(f"# RSS slope not judged: {o.duration - warmup:.0f} s after the warm-up (needs 1800)", flush=True)
        if judged and rss_slope > o.max_rss_growth:
            failures.append(f"RSS grows {rss_slope:.1f} MiB/h after warm-up (limit {o.max_rss_growth})")
        if fds_idle_after > fds_idle_before + 50:
            failures.append(f"idle, klaxon held {fds_idle_before} descriptors before the run and {fds_idle_after} after")
        if warm_p99 > 0 and last_p99 > warm_p99 * o.max_p99_ratio:
            failures.append(f"p99 ingest latency rose from {warm_p99:.1f} ms to {last_p99:.1f} ms")
        if errors:
            failures.append(f"{errors} ingest requests failed")
        if groups < o.groups:
            failures.append(f"only {groups} of {o.groups} groups were ever notified")
    finally:
        klaxon.stop()
        sink.server.shutdown()
    if failures:
        print("FAIL: " + "; ".join(failures), flush=True)
        print(f"# work dir kept: {work}", flush=True)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("OK", flush=True)


if __name__ == "__main__":
    main()
