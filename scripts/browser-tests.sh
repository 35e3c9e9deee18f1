#!/usr/bin/env bash
# Browser tests of the web UI: real headless Chromium (Debian's chromium and chromium-driver, driven by Python's
# selenium) against a real klaxon binary on a 127.0.0.1 port the test picks. Installs what is missing. Screenshots
# of each page go to a temporary folder whose path is printed. Usage: scripts/browser-tests.sh [--update-docs]
# [path/to/klaxon] (klaxonctl, which renders the notification-template links the test follows, is taken from the same
# folder). --update-docs also writes the README's overview screenshot (example configuration, demo alerts) to
# docs/images/ui-overview.png.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! command -v htpasswd >/dev/null; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq apache2-utils >/dev/null
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
    python3 -m pip install -q selenium
fi
FLAGS=()
KLAXON=""
for arg in "$@"; do
    case "$arg" in
        --*) FLAGS+=("$arg") ;;
        *) KLAXON="$arg" ;;
    esac
done
if [ -z "$KLAXON" ]; then
    swift build --product klaxon
    swift build --product klaxonctl
    KLAXON="$(swift build --show-bin-path)/klaxon"
fi
exec python3 scripts/browser_tests.py "$KLAXON" "${FLAGS[@]}"
