#!/usr/bin/env bash
# Records the expected output of every template case by running the real Alertmanager 0.25 `amtool template
# render` against the fixture data. Input: Tests/KlaxonTemplateTests/Fixtures/template-cases.jsonl
# ({"name","template"} per line, optionally "error_contains": a substring to check instead of the full error).
# Output: Tests/KlaxonTemplateTests/Fixtures/template-corpus.jsonl ({"name","template","expected"} or
# {"name","template","error"} or {"name","template","error_contains"}).
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
PY
