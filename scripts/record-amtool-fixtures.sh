#!/usr/bin/env bash
# Records amtool 0.25's output for every step of Tests/KlaxonCtlTests/Fixtures/amtool/scenario.tsv, run in order
# against a fresh Debian Alertmanager 0.25 on a free loopback port, into Tests/KlaxonCtlTests/Fixtures/amtool/<step>.txt.
# The klaxonctl tests run the same scenario and compare with these files after the same normalization:
# silence IDs become <step-that-created-it> (other UUIDs <ID>), times in 2026-2029 become <NOW>.
# Needs: amtool, prometheus-alertmanager (apt-get install prometheus-alertmanager), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
FIXTURES=Tests/KlaxonCtlTests/Fixtures/amtool
AMTOOL=${AMTOOL:-/usr/bin/amtool}
AM=${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/alertmanager.yml" <<'YAML'
route:
  receiver: default
  group_by: [alertname]
receivers:
  - name: default
YAML
mkdir -p "$WORK/home"
"$AM" --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/data" --web.listen-address="127.0.0.1:$PORT" \
    --web.external-url="http://127.0.0.1:$PORT/" --cluster.listen-address= --log.level=warn >"$WORK/am.log" 2>&1 &
AM_PID=$!
trap 'kill $AM_PID 2>/dev/null; wait $AM_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null && break; sleep 0.1; done

python3 - "$FIXTURES" "$AMTOOL" "$PORT" "$WORK/home" <<'PY'
import os, re, subprocess, sys
fixtures, amtool, port, home = sys.argv[1:]
uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
now = re.compile(r"202[6-9]-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( UTC|Z|[+-]\d\d:?\d\d)?")
ids = {}
def normalize(text):
    def name(m):
        v = m.group(0)
        if v.startswith("00000000-"): return v
        return "<" + ids.get(v, "ID") + ">"
    return now.sub("<NOW>", uuid.sub(name, text))
outputs = {}
for line in open(os.path.join(fixtures, "scenario.tsv")):
    line = line.rstrip("\n")
    if not line or line.startswith("#"): continue
    step, *args = line.split("\t")
    args = [re.sub(r"\{([a-z-]+)\}", lambda m: outputs[m.group(1)].split("\n")[0], a) for a in args]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
    p = subprocess.run([amtool, f"--alertmanager.url=http://127.0.0.1:{port}"] + args, capture_output=True,
                       text=True, env=env, timeout=60)
    outputs[step] = p.stdout
    if step.startswith("silence-add") and p.returncode == 0: ids[p.stdout.strip()] = step
    with open(os.path.join(fixtures, step + ".txt"), "w") as f:
        f.write(normalize(p.stdout) + "--- stderr\n" + normalize(p.stderr) + f"--- exit {p.returncode}\n")
    print(f"{step}: exit {p.returncode}")
PY
