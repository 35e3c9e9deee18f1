#!/usr/bin/env python3
"""Idle connections and slow-loris clients: klaxon keeps serving everyone else.

Opens --idle TCP connections to klaxon that send nothing, and --slow connections that send a request's headers one
byte every --drip s (a slow-loris client), holds them for --hold s, and meanwhile, once a second, times a fresh
client's GET /-/healthy and a POST of one alert. Then closes them all.

Fails when a fresh client's request fails or takes longer than --max-latency s, when klaxon exits, or when klaxon's
open file descriptors do not come back to within 10 of where they started after the connections close. Prints
klaxon's RSS and descriptors before, while holding and after, and the RSS per held connection.

Usage: connections.py --klaxon .build/release/klaxon [--idle 10000] [--slow 200] [--hold 60]
"""
import argparse, json, os, resource, shutil, socket, statistics, sys, tempfile, time

from reliability import Klaxon, free_port, open_fds, request, rss_mib, webhook_config






def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--klaxon", required=True)
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--slow", type=int, default=200)
    ap.add_argument("--hold", type=float, default=60)
    ap.add_argument("--drip", type=float, default=1.0)
    ap.add_argument("--max-latency", type=float, default=1.0)
    o = ap.parse_args()

    # Both this script and klaxon (which inherits the limit) need a descriptor per connection.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = o.idle + o.slow + 1000
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < wanted:
        o.idle = max(0, soft - o.slow - 1000)
        print(f"# descriptor limit {soft}: holding {o.idle} idle connections", flush=True)

    work = tempfile.mkdtemp(prefix="klaxon-connections-")
    klaxon = Klaxon(os.path.abspath(o.klaxon), webhook_config(work, free_port()), work)
    klaxon.start()
    failures, latencies = [], []
    held = []
    try:
        rss0, fds0 = rss_mib(klaxon.pid), open_fds(klaxon.pid)
        for _ in range(o.idle):
            s = socket.create_connection(("127.0.0.1", klaxon.port), timeout=5)
            held.append(s)
        slow = []
        for _ in range(o.slow):
            s = socket.create_connection(("127.0.0.1", klaxon.port), timeout=5)
            s.setblocking(False)
            slow.append(s)
        held.extend(slow)
        header = b"POST /api/v2/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slow: " + b"a" * 100000
        sent = 0
        started = time.time()
        next_probe = started
        while time.time() - started < o.hold:
            # One more byte of the never-ending header on every slow connection.
            if sent < len(header):
                for s in slow:
                    try:
                        s.send(header[sent:sent + 1])
                    except (BlockingIOError, OSError):
                        pass
                sent += 1
            if time.time() >= next_probe:
                next_probe += 1
                if klaxon.proc.poll() is not None:
                    failures.append(f"klaxon exited with {klaxon.proc.returncode}")
                    break
                t = time.time()
                try:
                    ok = request(klaxon.url + "/-/healthy", timeout=o.max_latency * 5)[0] == 200
                    ok = ok and request(klaxon.url + "/api/v2/alerts", "POST",
                                        [{"labels": {"alertname": "Probe"}}], timeout=o.max_latency * 5)[0] == 200
                except Exception as e:
                    ok = False
                    failures.append(f"a fresh client's request failed: {e}")
                latencies.append(time.time() - t)
                if ok and latencies[-1] > o.max_latency:
                    failures.append(f"a fresh client waited {latencies[-1]:.2f} s")
            time.sleep(o.drip)
        rss1, fds1 = rss_mib(klaxon.pid), open_fds(klaxon.pid)
        for s in held:
            s.close()
        held = []
        deadline = time.time() + 30
        while open_fds(klaxon.pid) > fds0 + 10 and time.time() < deadline:
            time.sleep(0.5)
        rss2, fds2 = rss_mib(klaxon.pid), open_fds(klaxon.pid)
        if fds2 > fds0 + 10:
            failures.append(f"open descriptors {fds0} before, {fds2} after the connections closed")
        connections = o.idle + o.slow
        print(json.dumps({"idle": o.idle, "slow": o.slow, "hold_s": o.hold,
               "probe_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
               "probe_max_ms": round(max(latencies) * 1000, 1) if latencies else None,
               "rss_mib_before": round(rss0, 1), "rss_mib_holding": round(rss1, 1), "rss_mib_after": round(rss2, 1),
               "kib_per_connection": round((rss1 - rss0) * 1024 / max(connections, 1), 1),
               "fds_before": fds0, "fds_holding": fds1, "fds_after": fds2}), flush=True)
    finally:
        for s in held:
            s.close()
        klaxon.stop()
    if failures:
        print("FAIL: " + "; ".join(sorted(set(failures))[:5]), flush=True)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("OK", flush=True)


if __name__ == "__main__":
    main()
