#!/usr/bin/env bash
# Web UI benchmark: starts klaxon on a free 127.0.0.1 port, posts 100k alerts over 500 tenants (40 alert names),
# then times the overview, alert-list and detail pages (server time as curl sees it on loopback, page size), median
# of 5.
# Usage: scripts/bench-ui.sh [path/to/klaxon] (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
KLAXON="${1:-}"
if [ -z "$KLAXON" ]; then
    swift build -c release --product klaxon
    KLAXON="$(swift build -c release --show-bin-path)/klaxon"
fi
exec python3 - "$KLAXON" <<'PY'
import json, os, socket, statistics, subprocess, sys, tempfile, time, urllib.request, urllib.parse

klaxon = sys.argv[1]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
work = tempfile.mkdtemp(prefix="klaxon-bench-ui-")
with open(f"{work}/alertmanager.yml", "w") as f:
    f.write("route:\n  receiver: team\n  group_by: [tenant_id, alertname]\n  group_wait: 1h\n"
            "  group_interval: 1h\n  repeat_interval: 4h\nreceivers:\n  - name: team\n")
server = subprocess.Popen([klaxon, f"--config.file={work}/alertmanager.yml", f"--storage.path={work}/data",
                           f"--web.listen-address=127.0.0.1:{port}"],
                          stdout=open(f"{work}/klaxon.log", "w"), stderr=subprocess.STDOUT)
try:
    for _ in range(300):
        try:
            if urllib.request.urlopen(base + "/-/ready", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.1)
    total, batch = 100_000, 2_000
    started = time.time()
    for first in range(0, total, batch):
        alerts = [{"labels": {"alertname": f"Alert{i % 40}", "tenant_id": f"tenant-{i % 500:03d}",
                              "instance": f"host-{i}", "severity": "warning"},
                   "annotations": {"summary": f"alert {i}"}} for i in range(first, first + batch)]
        request = urllib.request.Request(base + "/api/v2/alerts", data=json.dumps(alerts).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request, timeout=60).read()
    print(f"posted {total} alerts over 500 tenants in {time.time() - started:.1f}s", flush=True)

    def measure(path, runs=5):
        times, size = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            body = urllib.request.urlopen(base + path, timeout=120).read()
            times.append(time.perf_counter() - t0)
            size = len(body)
        return statistics.median(times), size

    one = json.loads(urllib.request.urlopen(
        base + "/api/v2/alerts?filter=" + urllib.parse.quote('instance="host-42"'), timeout=60).read())[0]
    group_key = '{}:{alertname="Alert2", tenant_id="tenant-042"}'
    pages = [
        ("overview", "/ui/overview"),
        ("overview sorted by tenant, page 5", "/ui/overview?sort=tenant&page=5"),
        ("alert list, first page of 100 (route's groups)", "/ui/alerts"),
        ("alert list, first page of 100 by alertname", "/ui/alerts?group=alertname"),
        ("alert list, one tenant", "/ui/alerts?filter=" + urllib.parse.quote('{tenant_id="tenant-042"}')),
        ("silence editor preview, one tenant",
         "/ui/silences/preview?matchers=" + urllib.parse.quote('{tenant_id="tenant-042"}')),
        ("alert detail", "/ui/alerts/" + one["fingerprint"]),
        ("group detail (100 alerts), as the UI links it",
         "/ui/groups?" + urllib.parse.urlencode(
             {"receiver": "team", "key": group_key, "filter": '{alertname="Alert2",tenant_id="tenant-042"}'})),
        ("for comparison: GET /api/v2/alerts (all)", "/api/v2/alerts"),
    ]
    print(f"{'page':45} {'median time':>12} {'size':>12}")
    for name, path in pages:
        seconds, size = measure(path, runs=3 if path.startswith("/api") else 5)
        print(f"{name:45} {seconds * 1000:10.0f}ms {size / 1024:10.1f}KiB", flush=True)
finally:
    server.terminate()
    server.wait(timeout=30)
PY
