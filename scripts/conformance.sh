#!/usr/bin/env bash
# Replays ../shared/harness scenarios against a release build of klaxon and diffs what it sends and
# answers with the transcripts recorded from Alertmanager 0.25, then Klaxon's own scenarios
# (conformance/scenarios: email over SMTP, SNS) against their goldens in conformance/golden, recorded
# from Alertmanager 0.25 with `scripts/conformance-own.py ../shared/harness --record`. Extra arguments
# go to compare.py for the harness's scenarios (scenario names, -j N, --max-diff-lines N).
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS="${HARNESS:-../shared/harness}"
[ -d "$HARNESS" ] || { echo "conformance: $HARNESS not found" >&2; exit 2; }
python3 -c 'import yaml, requests' 2>/dev/null || python3 -m pip install -q pyyaml requests
swift build -c release --product klaxon
# Klaxon masks webhook URLs in /api/v2/status (`url: <secret>`, as Alertmanager 0.26+ does); the 0.25
# goldens show them in clear, so that one key is left out of the comparison.
python3 "$HARNESS/compare.py" --golden -j 3 --ignore-keys url --cmd "$PWD/.build/release/klaxon" "$@"
python3 scripts/conformance-own.py "$HARNESS" --golden -j 2 --cmd "$PWD/.build/release/klaxon"
