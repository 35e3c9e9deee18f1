#!/usr/bin/env bash
# Records what Go's html/template puts out, for Klaxon's html/template escaping (KlaxonTemplate/HTML):
# 1. Tests/KlaxonTemplateTests/Fixtures/html-template-corpus.jsonl: every case of template-cases.jsonl and
#    html-template-cases.jsonl rendered by the real Alertmanager 0.25 `amtool template render --template.type=html`
#    against template-data.json ({"name","template","expected"} or {"name","template","error"}, or
#    {"name","template","error_contains"} for the cases that check only part of the error in the text corpus).
# 2. Tests/KlaxonTemplateTests/Fixtures/go-html-escape-cases.json: the table of Go's own html/template test
#    (TestEscape in $GOROOT/src/html/template/escape_test.go), each case run by Go's html/template with the test's
#    data; cases on the test's JSON marshalers and typed nil pointer (.B, .M, .Z) are left out (Klaxon's data model
#    has no such values).
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=Tests/KlaxonTemplateTests/Fixtures
AMTOOL=${AMTOOL:-/usr/bin/amtool}
DEFAULT_TMPL=${DEFAULT_TMPL:-/usr/share/prometheus/alertmanager/default.tmpl}
python3 - "$AMTOOL" "$DEFAULT_TMPL" "$FIX" <<'PY'
import json, subprocess, sys
amtool, default_tmpl, fix = sys.argv[1:4]
out = []
for source in ("template-cases.jsonl", "html-template-cases.jsonl"):
    for line in open(f"{fix}/{source}", encoding="utf-8"):
        if not line.strip():
            continue
        case = json.loads(line)
        proc = subprocess.run(
            [amtool, "template", "render", "--template.type=html", f"--template.glob={default_tmpl}",
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
with open(f"{fix}/html-template-corpus.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(f"recorded {len(out)} amtool html renders")
PY

GOROOT=${GOROOT:-$(go env GOROOT)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$GOROOT/src/html/template/escape_test.go" "$work/main.go" <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
body = src[src.index("func TestEscape(t *testing.T) {"):]
data = body[body.index("data := struct {"):body.index("pdata := &data")]
table = body[body.index("tests := []struct {"):body.index("for _, test := range tests {")]
program = '''package main

import (
	"encoding/json"
	"os"
	"strings"
	. "html/template"
)

type badMarshaler struct{}

func (x *badMarshaler) MarshalJSON() ([]byte, error) { return []byte("{ x: 1 }"), nil }

type goodMarshaler struct{}

func (x *goodMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{ "<foo>": "O'Reilly" }`), nil }

func main() {
	%s
	%s
	type record struct {
		Name   string `json:"name"`
		Input  string `json:"input"`
		Output string `json:"output"`
	}
	var out []record
	for _, test := range tests {
		if strings.Contains(test.input, ".B") || strings.Contains(test.input, ".M") || strings.Contains(test.input, ".Z") {
			continue
		}
		tmpl := Must(New(test.name).Parse(test.input))
		var b strings.Builder
		if err := tmpl.Execute(&b, data); err != nil {
			panic(err)
		}
		out = append(out, record{test.name, test.input, b.String()})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
''' % (data, table)
open(sys.argv[2], "w", encoding="utf-8").write(program)
PY
(cd "$work" && GO111MODULE=off GOFLAGS= go run main.go) > "$FIX/go-html-escape-cases.json"
echo "recorded $(grep -c '"name"' "$FIX/go-html-escape-cases.json") Go html/template escape cases"
