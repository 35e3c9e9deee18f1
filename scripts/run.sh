#!/usr/bin/env bash
# Build and run Klaxon on the embedded default config (alertmanager.yml), state in ./data.
# Installs libcurl's headers first when they are missing (Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product klaxon
exec .build/release/klaxon --config.file=alertmanager.yml --storage.path=data/ "$@"
