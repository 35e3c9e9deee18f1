#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into OUT/<target>/ from the project's fixtures: the config fixtures
and the example config, the template test cases and default.tmpl, matchers and regexps from the config fixtures and
the recorded Go regexp cases (as matchers, and through the template functions `match` and `reReplaceAll`), alert
and silence bodies from the conformance scenarios (when ../shared is there) and a few of our own, and time-interval
fields from the config fixtures. Usage: seeds.py OUT"""
import glob, hashlib, json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


configs = sorted(glob.glob(f"{ROOT}/Tests/KlaxonConfigTests/Fixtures/**/*.yml", recursive=True))
configs.append(f"{ROOT}/alertmanager.yml")
for path in configs:
    with open(path, "rb") as f:
        text = f.read()
    write("config", text)
    # Matchers and time-interval fields as they appear in configs.
    for quoted in re.findall(rb"""['"]([^'"\n]*[=!~][^'"\n]*)['"]""", text):
        write("matchers", quoted)
    for kind in (b"weekdays", b"days_of_month", b"months", b"years", b"location"):
        for line in re.findall(kind + rb":\s*\[?([^\]\n]*)", text):
            for value in line.split(b","):
                write("time-interval", kind + b":" + value.strip().strip(b"'\""))
    for start, end in re.findall(rb"start_time:\s*'?([0-9:]+)'?\s*\n\s*end_time:\s*'?([0-9:]+)", text):
        write("time-interval", b"times:" + start + b"-" + end)

for case in json.load(open(f"{ROOT}/Tests/KlaxonGoCompatTests/Fixtures/go-regexp-matches.json")):
    write("matchers", 'job=~"%s"' % case["pattern"].replace("\\", "\\\\").replace('"', '\\"'))
for text in ['{alertname="Watchdog",severity=~"page|critical"}', "foo!=bar", 'a!~"x.*", b="c"', "{}", "x=~(a+)+$"]:
    write("matchers", text)

for path in glob.glob(f"{ROOT}/Tests/KlaxonTemplateTests/Fixtures/*.jsonl"):
    for line in open(path):
        case = json.loads(line)
        if isinstance(case.get("template"), str):
            write("template", case["template"])
write("template", open(f"{ROOT}/templates/default.tmpl").read() + '{{ template "slack.default.text" . }}')
# The recorded Go submatch and ReplaceAllString cases, through `match` and `reReplaceAll`.
# Patterns up to 1000 characters: the recorded ones at Go's size limit compile to millions of instructions, and every
# mutation of such a seed would cost seconds.
for case in json.load(open(f"{ROOT}/Tests/KlaxonGoCompatTests/Fixtures/go-regexp-submatches.json")):
    if len(case["pattern"]) > 1000:
        continue
    pattern, text, repl = (json.dumps(case.get(key, "<$0>")) for key in ("pattern", "input", "template"))
    write("template", "{{ reReplaceAll %s %s %s }}{{ match %s .CommonLabels.alertname }}" % (pattern, repl, text, pattern))

for text in ["09:00-17:00", "00:00-24:00", "17:00-09:00"]:
    write("time-interval", "times:" + text)
for text in ["weekdays:monday:friday", "days_of_month:-3:-1", "months:1:3", "years:2020:2022", "location:Europe/Berlin",
             "duration:1h30m", "duration:0s"]:
    write("time-interval", text)

alerts = [[{"labels": {"alertname": "DiskFull", "instance": "db1:9100"}, "annotations": {"summary": "disk"},
            "startsAt": "2024-01-01T00:00:00Z", "endsAt": "2024-01-01T01:00:00.123+02:00",
            "generatorURL": "http://prometheus/graph?g0.expr=up"}],
          [{"labels": {"a": "b"}}, None, {"labels": None}], [], None]
silences = [{"matchers": [{"name": "alertname", "value": "Disk.*", "isRegex": True, "isEqual": False}],
             "startsAt": "2024-01-01T00:00:00Z", "endsAt": "2024-01-02T00:00:00Z", "createdBy": "me",
             "comment": "maintenance", "id": "7a0c6f1b-0b1e-4a2e-9e59-1b4c1c0e7c1d"},
            {"matchers": [{"name": "instance", "value": "web-[0-9]+", "isRegex": True},
                          {"name": "job", "value": "node", "isRegex": False, "isEqual": True}],
             "startsAt": "2024-01-01T00:00:00.5Z", "endsAt": "2024-01-01T00:30:00+01:00", "createdBy": "bob",
             "comment": "regex silence"},
            {"matchers": [], "startsAt": "x", "endsAt": None, "createdBy": 1, "comment": ["a"]}]
try:
    import yaml
    for path in glob.glob(f"{ROOT}/../shared/harness/scenarios/*.yaml"):
        for step in yaml.safe_load(open(path)).get("steps", []):
            if "post_alerts" in step:
                alerts.append(step["post_alerts"])
except ImportError:
    pass
for body in alerts:
    write("alerts", json.dumps(body, default=str))
for body in silences:
    write("silence", json.dumps(body, default=str))
for target in sorted(os.listdir(out)):
    print(f"{target}: {len(os.listdir(os.path.join(out, target)))} seeds")
