#!/usr/bin/env bash
# Runs Klaxon's whole test suite. Installs what it needs when missing: libcurl's headers (scripts/setup.sh) and
# Debian's prometheus-alertmanager (Alertmanager 0.25 and amtool), which klaxonctl's integration tests run beside
# klaxon to compare against; without it those comparisons are skipped, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v amtool >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq prometheus-alertmanager >/dev/null; then
        :
    else
        echo "test.sh: could not install prometheus-alertmanager; the comparisons with Alertmanager are skipped" >&2
    fi
fi
swift build --build-tests
swift test --skip-build --parallel
