#!/usr/bin/env bash
# Real clients against a release build of klaxon: amtool 0.25 (silence add/query/expire/import, alert
# add/query, config show, routes) and Prometheus firing a rule at it, which must reach the Slack and
# PagerDuty receivers of a local sink within 20 s. Installs Debian's prometheus-alertmanager (for amtool)
# and prometheus when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS="${HARNESS:-../shared/harness}"
[ -d "$HARNESS" ] || { echo "realclients: $HARNESS not found" >&2; exit 2; }
if ! command -v amtool >/dev/null || ! command -v prometheus >/dev/null || ! command -v bc >/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq prometheus-alertmanager prometheus bc >/dev/null
fi
python3 -c 'import yaml, requests' 2>/dev/null || python3 -m pip install -q pyyaml requests
swift build -c release --product klaxon
OUT="$(mktemp -d /tmp/klaxon-realclients-XXXXXX)"
trap 'rm -rf "$OUT"' EXIT
"$HARNESS/realclients.sh" --target cmd --cmd "$PWD/.build/release/klaxon" --out "$OUT"
