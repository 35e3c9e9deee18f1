#!/usr/bin/env bash
# Runs Klaxon's test suite (installs libcurl's headers first when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build --parallel
