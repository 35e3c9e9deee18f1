#!/usr/bin/env bash
# The cost of --access.config.file on ingest and GET /api/v2/alerts: a release klaxon without and with an access
# file, alternately, in one run (see scripts/bench_access.py). Needs wrk and ../shared/bench/ingest.lua.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench-access: needs wrk (apt-get install wrk)" >&2; exit 2; }
swift build -c release --product klaxon
python3 scripts/bench_access.py "$@"
