#!/usr/bin/env bash
# Records what the real Alertmanager 0.25 sends over SMTP for a fixed set of alerts, into
# Tests/KlaxonNotifyTests/Fixtures/Email/: <case>.<n>.eml (the DATA content byte for byte) and <case>.<n>.envelope
# (EHLO name, MAIL FROM, RCPT TOs), from scripts/smtp-sink.py (aiosmtpd, installed from PyPI when missing). Each
# receiver of Fixtures/Email/alertmanager.yml also has a webhook (scripts/integration-sink.py): hook/<receiver>.<n>.body
# is the notification behind the n-th message. Date, Message-Id, the multipart boundary and the order of the
# configured headers (Go map order) differ from run to run; the tests normalise exactly those.
#
# Then, into Fixtures/EmailSessions/, one message per receiver of its alertmanager.yml, each to a sink of its own:
# STARTTLS, STARTTLS with AUTH PLAIN, AUTH LOGIN, AUTH CRAM-MD5 (one mechanism offered each), AUTH with all three
# offered, and TLS from the first byte on 127.0.0.1:465 (Alertmanager chooses implicit TLS by that port number only;
# binding it needs root or CAP_NET_BIND_SERVICE). The envelopes carry the conversation (commands and AUTH answers as
# sent). The CA and the
# sinks' certificate are made here with openssl and removed afterwards.
#
# Requires /usr/bin/prometheus-alertmanager (Debian's prometheus-alertmanager 0.25), openssl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FIX=$ROOT/Tests/KlaxonNotifyTests/Fixtures/Email
AM=${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet aiosmtpd
WORK=$(mktemp -d)
rm -rf "${FIX:?}/hook" "$FIX"/*.eml "$FIX"/*.envelope
python3 "$ROOT/scripts/smtp-sink.py" 19883 "$FIX" &
SMTP=$!
python3 "$ROOT/scripts/integration-sink.py" 19881 "$FIX" &
SINK=$!
(cd "$FIX" && exec "$AM" --config.file=alertmanager.yml --storage.path="$WORK/data" \
    --web.listen-address=127.0.0.1:19882 --web.external-url=http://alertmanager.test:9093 \
    --cluster.listen-address= --log.level=debug >"$WORK/am.log" 2>&1) &
AMPID=$!
cleanup() { kill "$AMPID" "$SINK" "$SMTP" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
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

# Long lines, non-ASCII, `=` and trailing spaces: what quoted-printable and Q-encoding have to deal with.
LONG = "a=b " + "Grüße aus Köln, äöü ß € 😀 " * 6 + "end"
t0 = datetime.datetime.utcnow()
alerts = []
for kind in ("email-text", "email-both"):
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
ls "$FIX" "$FIX/hook"
kill "$AMPID" "$SINK" "$SMTP" 2>/dev/null || true
wait 2>/dev/null || true

# Sessions: TLS and AUTH.
SESS=$ROOT/Tests/KlaxonNotifyTests/Fixtures/EmailSessions
rm -rf "${SESS:?}/hook" "$SESS"/*.eml "$SESS"/*.envelope "$SESS/tls"
mkdir -p "$SESS/tls"
TLS=$SESS/tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TLS/ca.key" -out "$TLS/ca.crt" \
    -days 2 -subj "/CN=Klaxon Recording CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TLS/server.key" -out "$TLS/server.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$TLS/server.ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -out "$TLS/server.crt" \
    -days 2 -extfile "$TLS/server.ext" 2>/dev/null
CERT=("$TLS/server.crt" "$TLS/server.key")
PIDS=()
sink() { python3 "$ROOT/scripts/smtp-sink.py" "$@" & PIDS+=($!); }
sink 19884 "$SESS" --starttls "${CERT[@]}"
sink 19885 "$SESS" --starttls "${CERT[@]}" --auth alice:s3cret --auth-exclude LOGIN,CRAM-MD5
sink 19886 "$SESS" --auth alice:s3cret --auth-exclude PLAIN,CRAM-MD5
sink 19887 "$SESS" --auth alice:s3cret --auth-exclude PLAIN,LOGIN
sink 19888 "$SESS" --auth alice:s3cret
sink 465 "$SESS" --implicit-tls "${CERT[@]}" --auth alice:s3cret --auth-exclude LOGIN,CRAM-MD5
python3 "$ROOT/scripts/integration-sink.py" 19881 "$SESS" &
PIDS+=($!)
rm -rf "$WORK/data"
(cd "$SESS" && exec "$AM" --config.file=alertmanager.yml --storage.path="$WORK/data" \
    --web.listen-address=127.0.0.1:19882 --web.external-url=http://alertmanager.test:9093 \
    --cluster.listen-address= --log.level=debug >"$WORK/am-sessions.log" 2>&1) &
AMPID=$!
cleanup() { kill "$AMPID" "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK" "$SESS/tls"; }
for _ in $(seq 100); do curl -sf http://127.0.0.1:19882/-/ready >/dev/null && break; sleep 0.2; done
# One firing alert per receiver (no startsAt: Alertmanager stamps the time it receives them).
ALERTS=$(for kind in starttls plain login crammd5 smtps anyauth; do
    printf '{"labels":{"alertname":"Session-%s","kind":"%s","instance":"i1"},"annotations":{"summary":"over %s"}}\n' \
        "$kind" "$kind" "$kind"
done | paste -sd, -)
curl -sf -X POST -H 'Content-Type: application/json' --data "[$ALERTS]" http://127.0.0.1:19882/api/v2/alerts
sleep 4
if grep -q 'level=error' "$WORK/am-sessions.log"; then grep 'level=error' "$WORK/am-sessions.log" >&2; fi
ls "$SESS" "$SESS/hook"
