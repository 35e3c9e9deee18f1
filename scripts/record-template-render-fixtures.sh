#!/usr/bin/env bash
# Records what Alertmanager 0.25's `amtool template render` prints (stdout, stderr, exit code) for every case of
# Tests/KlaxonCtlTests/Fixtures/template/render-cases.json ({"name", "args", optional "withoutDefaultGlob"}), run
# from that folder so that relative globs and data files resolve there. Debian's amtool has no built-in default
# templates, so each case gets `--template.glob=$DEFAULT_TMPL` first (Klaxon always has them, as Alertmanager 0.28+
# does); cases marked withoutDefaultGlob run with their args alone. Output: render-recorded.json beside the cases.
# Cases must not print the built-in sample data's times (amtool takes them from the clock).
set -euo pipefail
cd "$(dirname "$0")/../Tests/KlaxonCtlTests/Fixtures/template"
AMTOOL=${AMTOOL:-/usr/bin/amtool}
DEFAULT_TMPL=${DEFAULT_TMPL:-/usr/share/prometheus/alertmanager/default.tmpl}
python3 - "$AMTOOL" "$DEFAULT_TMPL" <<'PY'
import json, subprocess, sys
amtool, default_tmpl = sys.argv[1:3]
recorded = []
for case in json.load(open("render-cases.json", encoding="utf-8")):
    args = list(case["args"])
    if not case.get("withoutDefaultGlob"):
        args = [f"--template.glob={default_tmpl}"] + args
    proc = subprocess.run([amtool, "template", "render"] + args, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "TZ": "UTC"})
    record = {"name": case["name"], "args": case["args"]}
    if case.get("withoutDefaultGlob"):
        record["withoutDefaultGlob"] = True
    record.update({"stdout": proc.stdout, "stderr": proc.stderr, "exitCode": proc.returncode})
    recorded.append(record)
with open("render-recorded.json", "w", encoding="utf-8") as f:
    json.dump(recorded, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"recorded {len(recorded)} cases")
PY

# check-config with template globs (resolved against each config file's folder): check-config/conf.*.yml, one at a
# time, into check-config-recorded.json ({"file", "stdout", "stderr", "exitCode"}).
python3 - "$AMTOOL" <<'PY'
import glob, json, subprocess, sys
amtool = sys.argv[1]
recorded = []
for path in sorted(glob.glob("check-config/conf.*.yml")):
    proc = subprocess.run([amtool, "check-config", path], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "TZ": "UTC"})
    recorded.append({"file": path, "stdout": proc.stdout, "stderr": proc.stderr, "exitCode": proc.returncode})
with open("check-config-recorded.json", "w", encoding="utf-8") as f:
    json.dump(recorded, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"recorded {len(recorded)} check-config runs")
PY
