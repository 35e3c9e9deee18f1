#!/usr/bin/env bash
# What the timeline costs. Part 1 (always): the size of history.db per 100,000 notifications: klaxon on a free
# 127.0.0.1 port posts 100,000 alerts in 100,000 groups to a local webhook sink, waits until every notification
# arrived, stops klaxon (SIGTERM: the last batch commits) and reads the events and bytes of history.db.
# Part 2 (--pair): ../shared/bench --pair for ingest and notify, alternating the timeline on (the default) and off
# (--history.max-events=0), ROUNDS times each, and prints the on/off ratios from the same run.
# Usage: scripts/bench-history.sh [--pair [--skip-size]] [--rounds N] [path/to/klaxon] (default: a release build);
# WORKLOADS=ingest picks the bench workloads (default ingest,notify).
set -euo pipefail
cd "$(dirname "$0")/.."
PAIR=0 ROUNDS=2 KLAXON="" SKIP_SIZE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --pair) PAIR=1 ;;
        --skip-size) SKIP_SIZE=1 ;;
        --rounds) ROUNDS="$2"; shift ;;
        *) KLAXON="$1" ;;
    esac
    shift
done
if [ -z "$KLAXON" ]; then
    swift build -c release --product klaxon
    KLAXON="$(swift build -c release --show-bin-path)/klaxon"
fi
KLAXON="$(realpath "$KLAXON")"

[ "$SKIP_SIZE" = 1 ] || python3 - "$KLAXON" <<'PY'
import json, shutil, sqlite3, sys, tempfile, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, "scripts")
from reliability import Klaxon, request

klaxon_path = sys.argv[1]
TOTAL = 100_000
received = 0
lock = threading.Lock()

class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global received
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            received += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=sink.serve_forever, daemon=True).start()
work = tempfile.mkdtemp(prefix="klaxon-bench-history-")
with open(f"{work}/alertmanager.yml", "w") as f:
    f.write("route:\n  receiver: hook\n  group_by: ['...']\n  group_wait: 0s\n  group_interval: 1h\n"
            f"  repeat_interval: 4h\nreceivers:\n  - name: hook\n    webhook_configs:\n"
            f"      - url: http://127.0.0.1:{sink.server_address[1]}/hook\n")
klaxon = Klaxon(klaxon_path, f"{work}/alertmanager.yml", work, ["--log.level=warn"])
klaxon.start()
try:
    batch = 1_000
    for first in range(0, TOTAL, batch):
        alerts = [{"labels": {"alertname": f"Alert{i % 20}", "tenant_id": f"tenant-{i % 50:02d}",
                              "instance": f"host-{i}", "severity": "warning"}} for i in range(first, first + batch)]
        request(klaxon.url + "/api/v2/alerts", "POST", alerts, timeout=30)
    deadline = time.time() + 600
    while received < TOTAL and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(2)
finally:
    klaxon.stop(timeout=60)
    sink.shutdown()
path = f"{work}/data/history.db"
db = sqlite3.connect(path)
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
# Events are packed into batch rows (Sources/KlaxonStorage/HistoryCodec.swift): [UInt32 length][varint offset]
# [kind byte]...; only the kinds are read here.
KIND_NAMES = {1: "firing", 2: "resolved", 3: "silenced", 4: "unsilenced", 5: "inhibited", 6: "uninhibited",
              7: "muted", 8: "notification", 9: "silence", 10: "reload"}
kinds = {}
for (blob,) in db.execute("SELECT events FROM batch"):
    at = 0
    while at + 4 <= len(blob):
        length = int.from_bytes(blob[at:at + 4], "little")
        body = at + 4
        while blob[body] & 0x80:
            body += 1
        name = KIND_NAMES.get(blob[body + 1], "unknown")
        kinds[name] = kinds.get(name, 0) + 1
        at += 4 + length
pages, page_size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
db.close()
size = pages * page_size
events = sum(kinds.values())
print(json.dumps({"notifications_received": received, "events": kinds, "history_db_bytes": size,
                  "bytes_per_event": round(size / max(events, 1)),
                  "mb_per_100k_notifications": round(size / 1e6 * 100_000 / max(kinds.get("notification", 1), 1), 1)}))
shutil.rmtree(work, ignore_errors=True)
if received < TOTAL:
    sys.exit(f"only {received} of {TOTAL} notifications arrived")
PY

[ "$PAIR" = 1 ] || exit 0
BENCH="$(realpath ../shared/bench)"
for round in $(seq 1 "$ROUNDS"); do
    for mode in on off; do
        flags=""
        [ "$mode" = off ] && flags="--history.max-events=0"
        out="$(mktemp)"
        (cd "$BENCH" && python3 bench.py --pair --cmd "$KLAXON $flags" --workloads "${WORKLOADS:-ingest,notify}" --rounds 1 \
            --out "$out" > /dev/null)
        python3 - "$out" "$mode" "$round" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))["summary"]
for workload in ("ingest", "notify"):
    for figure, per in summary.get(workload, {}).items():
        am, cand = per.get("am", {}).get("median"), per.get("cmd", {}).get("median")
        if am is None or cand is None:
            continue
        print(f"round {sys.argv[3]} history {sys.argv[2]:3} {workload:6} {figure:36} klaxon {cand:12.1f} "
              f"am {am:12.1f} ratio {cand / am if am else float('nan'):.2f}")
PY
        rm -f "$out"
    done
done
