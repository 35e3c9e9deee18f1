#!/usr/bin/env bash
# What tracing costs on ingest: ../shared/bench --pair (Alertmanager 0.25 as the yardstick) alternating klaxon without a
# tracing section and klaxon with `tracing: {client_type: http, sampling_fraction: 1, insecure: true}` exporting to a
# local OTLP/HTTP sink (a Python server on a free port outside bench's 18000-18999 that answers every export with
# 200), ROUNDS times each; prints both ratios to Alertmanager and klaxon's own figures per mode.
# Usage: scripts/bench-tracing.sh [--rounds N] [path/to/klaxon] (default: a release build); WORKLOADS=ingest,notify
# picks the bench workloads (default ingest).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=1 KLAXON=""
while [ $# -gt 0 ]; do
    case "$1" in
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
BENCH="$(realpath ../shared/bench)"
WORK="$(mktemp -d /tmp/klaxon-bench-tracing-XXXXXX)"
SINK_PID=""
cleanup() {
    [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The OTLP/HTTP sink: counts exports and their bytes, answers each with an empty ExportTraceServiceResponse.
python3 - "$WORK/sink.port" "$WORK/sink.stats" <<'PY' &
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port_file, stats_file = sys.argv[1], sys.argv[2]
lock, stats = threading.Lock(), {"exports": 0, "bytes": 0}
class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            stats["exports"] += 1
            stats["bytes"] += len(body)
            with open(stats_file, "w") as f:
                f.write(f"{stats['exports']} {stats['bytes']}\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
SINK_PID=$!
for _ in $(seq 50); do [ -s "$WORK/sink.port" ] && break; sleep 0.1; done
SINK_PORT="$(cat "$WORK/sink.port")"

# klaxon with the tracing section appended to the config bench writes (a copy: Alertmanager 0.25 reads the original).
cat > "$WORK/klaxon-traced" <<SH
#!/usr/bin/env bash
args=()
for a in "\$@"; do
    case "\$a" in
        --config.file=*)
            src="\${a#--config.file=}"
            cfg="\$src.tracing.yml"
            cp "\$src" "\$cfg"
            printf 'tracing:\n  client_type: http\n  endpoint: 127.0.0.1:$SINK_PORT\n  insecure: true\n  sampling_fraction: 1\n' >> "\$cfg"
            args+=("--config.file=\$cfg") ;;
        *) args+=("\$a") ;;
    esac
done
exec "$KLAXON" "\${args[@]}"
SH
chmod +x "$WORK/klaxon-traced"

for round in $(seq 1 "$ROUNDS"); do
    for mode in off on; do
        cmd="$KLAXON"
        [ "$mode" = on ] && cmd="$WORK/klaxon-traced"
        out="$WORK/result.json"
        (cd "$BENCH" && python3 bench.py --pair --cmd "$cmd" --workloads "${WORKLOADS:-ingest}" --rounds 1 \
            --out "$out" > /dev/null)
        python3 - "$out" "$mode" "$round" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))["summary"]
for workload, figures in summary.items():
    for figure, per in figures.items():
        am, cand = per.get("am", {}).get("median"), per.get("cmd", {}).get("median")
        if am is None or cand is None:
            continue
        print(f"round {sys.argv[3]} tracing {sys.argv[2]:3} {workload:6} {figure:28} klaxon {cand:12.2f} "
              f"am {am:12.2f} ratio {cand / am if am else float('nan'):.2f}")
PY
    done
done
echo "OTLP sink: $(cat "$WORK/sink.stats" 2>/dev/null || echo '0 0') (exports, bytes)"
