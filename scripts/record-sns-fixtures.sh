#!/usr/bin/env bash
# Records what the real Alertmanager 0.25 sends to SNS (aws-sdk-go's signed Publish call) for a fixed set of alerts,
# into Tests/KlaxonNotifyTests/Fixtures/SNS/: sns/<case>.<n>.body (the form, byte for byte) and sns/<case>.<n>.request
# (method, target and headers, X-Amz-Date and Authorization included), from scripts/integration-sink.py answering as
# SNS does. Each receiver also has a webhook: hook/<receiver>.<n>.body is the notification behind the n-th request.
#
# Requires /usr/bin/prometheus-alertmanager (Debian's prometheus-alertmanager 0.25) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FIX=$ROOT/Tests/KlaxonNotifyTests/Fixtures/SNS
AM=${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
WORK=$(mktemp -d)
rm -rf "${FIX:?}/hook" "${FIX:?}/sns"
python3 "$ROOT/scripts/integration-sink.py" 19881 "$FIX" &
SINK=$!
(cd "$FIX" && exec env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_REGION \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$AM" --config.file=alertmanager.yml --storage.path="$WORK/data" \
    --web.listen-address=127.0.0.1:19882 --web.external-url=http://alertmanager.test:9093 \
    --cluster.listen-address= --log.level=debug >"$WORK/am.log" 2>&1) &
AMPID=$!
cleanup() { kill "$AMPID" "$SINK" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

python3 - <<'PY'
import datetime, json, time, urllib.request
AM = "http://127.0.0.1:19882"
for _ in range(100):
    try:
        urllib.request.urlopen(AM + "/-/ready").read()
        break
    except Exception:
        time.sleep(0.2)

def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

def post(alerts):
    request = urllib.request.Request(AM + "/api/v2/alerts", data=json.dumps(alerts).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()

# 2000 bytes of mixed widths with characters the form encoding escapes: the SMS limit (1600 bytes) cuts it.
LONG = ("long <&> ü€😀 +=%/ " * 200)[:2000]
t0 = datetime.datetime.utcnow()
alerts = []
for kind in ("sns-topic", "sns-sms", "sns-fifo", "sns-tmplerr"):
    for instance in ("i1", "i2"):
        alerts.append(dict(
            labels=dict(alertname="Test-" + kind, kind=kind, instance=instance, severity="critical", team="ops"),
            annotations=dict(summary="%s on %s <b>&</b>" % (kind, instance), long=LONG),
            generatorURL="http://prom.test/graph?g0.expr=up&x=<1>",
            startsAt=ts(t0), endsAt=ts(t0 + datetime.timedelta(seconds=300))))
post(alerts)
time.sleep(3)
past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
post([dict(a, endsAt=past) for a in alerts if a["labels"]["instance"] == "i2"])
time.sleep(3)
past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
post([dict(a, endsAt=past) for a in alerts if a["labels"]["instance"] == "i1"])
time.sleep(3.5)
PY
if grep -q 'level=error' "$WORK/am.log"; then grep 'level=error' "$WORK/am.log" >&2; fi
find "$FIX" -name '*.body' | sed "s|$FIX/||" | sort
