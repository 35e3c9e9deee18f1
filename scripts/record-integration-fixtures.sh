#!/usr/bin/env bash
# Records what the real Alertmanager 0.25 sends to Discord, Webex, Pushover, OpsGenie, VictorOps, WeChat and
# Telegram for a fixed set of alerts, into Tests/KlaxonNotifyTests/Fixtures/Integrations/<integration>/.
#
# Alertmanager runs with Fixtures/Integrations/alertmanager.yml; every URL there points at
# scripts/integration-sink.py, which saves each request (.body byte for byte, .request with method, target and
# headers). Pushover's URL is hard-coded in Alertmanager, so its receivers go through the sink as an HTTPS proxy
# with a throwaway CA. Each receiver also has a webhook: hook/<receiver>.<n>.body is the notification that
# produced <integration>/<case>.<n>.body, which is how the tests rebuild the same notification for Klaxon.
#
# Requires /usr/bin/prometheus-alertmanager (Debian's prometheus-alertmanager 0.25), python3 and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FIX=$ROOT/Tests/KlaxonNotifyTests/Fixtures/Integrations
AM=${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A throwaway CA and a certificate for the hosts Alertmanager hard-codes.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=klaxon-recorder-ca \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=api.pushover.net -keyout "$WORK/srv.key" -out "$WORK/srv.csr" 2>/dev/null
printf 'subjectAltName=DNS:api.pushover.net\n' >"$WORK/ext"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
    -extfile "$WORK/ext" -out "$WORK/srv.pem" 2>/dev/null

for dir in hook discord webex pushover opsgenie victorops wechat telegram; do rm -rf "${FIX:?}/$dir"; done
python3 "$ROOT/scripts/integration-sink.py" 19881 "$FIX" "$WORK/srv.pem" "$WORK/srv.key" &
SINK=$!
(cd "$FIX" && SSL_CERT_FILE="$WORK/ca.pem" exec "$AM" --config.file=alertmanager.yml --storage.path="$WORK/data" \
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

# 7000 runes of mixed widths (1 to 4 UTF-8 bytes) with characters JSON and HTML escape.
LONG = ("long <&> ü€😀 \"q\" " * 400)[:7000]
CASES = {
    "discord-default": {}, "discord-custom": {},
    "webex-default": {}, "webex-long": {"long": LONG},
    "pushover-default": {}, "pushover-custom": {"long": LONG},
    "opsgenie-default": {}, "opsgenie-full": {"long": LONG},
    "victorops-default": {}, "victorops-custom": {"long": LONG},
    "wechat-default": {}, "wechat-markdown": {},
    "telegram-default": {}, "telegram-markdown": {"long": LONG}, "telegram-html": {}, "pushover-html": {},
}
t0 = datetime.datetime.utcnow()
alerts = []
for kind, extra in CASES.items():
    for instance, severity in (("i1", "critical"), ("i2", "critical")):
        annotations = dict(summary="%s on %s <b>&</b>" % (kind, instance), **extra)
        alerts.append(dict(
            labels=dict(alertname="Test-" + kind, kind=kind, instance=instance, severity=severity, team="ops"),
            annotations=annotations, generatorURL="http://prom.test/graph?g0.expr=up&x=<1>",
            startsAt=ts(t0), endsAt=ts(t0 + datetime.timedelta(seconds=300))))
post(alerts)
time.sleep(3)
# Second notification of each group: i2 resolved, i1 still firing. Third: both resolved.
past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
post([dict(a, endsAt=past) for a in alerts if a["labels"]["instance"] == "i2"])
time.sleep(3)
past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
post([dict(a, endsAt=past) for a in alerts if a["labels"]["instance"] == "i1"])
time.sleep(3.5)
PY
kill "$AMPID" "$SINK" 2>/dev/null || true
wait 2>/dev/null || true
if grep -q 'level=error' "$WORK/am.log"; then grep 'level=error' "$WORK/am.log" >&2; fi
grep -E 'Truncated|truncated' "$WORK/am.log" | sed -E -e 's/^ts=[^ ]+ caller=[^ ]+ //' -e 's/ truncated_message=.*//' -e 's/ (alert|incident)="([^"\\]|\\.)*"//' | sort -u >"$FIX/truncation.log" || true
cp "$WORK/am.log" "${AM_LOG:-/dev/null}"
find "$FIX" -name '*.body' | sed "s|$FIX/||" | sort
