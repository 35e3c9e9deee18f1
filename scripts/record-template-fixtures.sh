#!/usr/bin/env bash
# Records the expected output of every template case by running the real Alertmanager 0.25 `amtool template
# render` against the fixture data. Input: Tests/KlaxonTemplateTests/Fixtures/template-cases.jsonl
# ({"name","template"} per line, optionally "error_contains": a substring to check instead of the full error).
# Output: Tests/KlaxonTemplateTests/Fixtures/template-corpus.jsonl ({"name","template","expected"} or
# {"name","template","error"} or {"name","template","error_contains"}), and
# default-templates-corpus.jsonl: every define of the real default.tmpl rendered against each template-data-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=Tests/KlaxonTemplateTests/Fixtures
AMTOOL=${AMTOOL:-/usr/bin/amtool}
DEFAULT_TMPL=${DEFAULT_TMPL:-/usr/share/prometheus/alertmanager/default.tmpl}
python3 - "$AMTOOL" "$DEFAULT_TMPL" "$FIX" <<'PY'
import json, subprocess, sys
amtool, default_tmpl, fix = sys.argv[1:4]
out = []
for line in open(f"{fix}/template-cases.jsonl", encoding="utf-8"):
    if not line.strip():
        continue
    case = json.loads(line)
    proc = subprocess.run(
        [amtool, "template", "render", f"--template.glob={default_tmpl}",
         f"--template.glob={fix}/extra-defines.tmpl", f"--template.data={fix}/template-data.json",
         f"--template.text={case['template']}"],
        capture_output=True, text=True)
    record = {"name": case["name"], "template": case["template"]}
    if proc.returncode == 0:
        record["expected"] = proc.stdout
    else:
        message = proc.stderr.strip()
        prefix = "amtool: error: "
        if not message.startswith(prefix):
            sys.exit(f"{case['name']}: unexpected amtool output: {message!r}")
        message = message[len(prefix):]
        if "error_contains" in case:
            if case["error_contains"] not in message:
                sys.exit(f"{case['name']}: {case['error_contains']!r} not in {message!r}")
            record["error_contains"] = case["error_contains"]
        else:
            record["error"] = message
    out.append(json.dumps(record, ensure_ascii=False))
with open(f"{fix}/template-corpus.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(f"recorded {len(out)} cases")

# Every default template against other data shapes (resolved only, firing only, bare).
import glob, os, re
names = re.findall(r'define "([^"]+)"', open(default_tmpl, encoding="utf-8").read())
out = []
for data in sorted(glob.glob(f"{fix}/template-data-*.json")):
    for name in names:
        text = '{{ template "%s" %s }}' % (name, ".Alerts" if name in ("__text_alert_list", "pagerduty.default.instances") else ".")
        proc = subprocess.run(
            [amtool, "template", "render", f"--template.glob={default_tmpl}", f"--template.data={data}",
             f"--template.text={text}"], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"{data} {name}: {proc.stderr}")
        out.append(json.dumps({"data": os.path.basename(data), "name": name, "template": text,
                               "expected": proc.stdout}, ensure_ascii=False))
with open(f"{fix}/default-templates-corpus.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(f"recorded {len(out)} default template renderings")
PY
