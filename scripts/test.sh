#!/usr/bin/env bash
# Runs Klaxon's whole test suite. Installs what it needs when missing: libcurl's headers (scripts/setup.sh),
# Debian's prometheus-alertmanager (Alertmanager 0.25 and amtool), which klaxonctl's integration tests run beside
# klaxon to compare against, and prometheus (a real sender with a bearer token under an access file); without them
# those tests are skipped, not failed. apache2-utils' htpasswd makes the bcrypt users of the TLS and basic auth tests;
# aiosmtpd from PyPI is the SMTP server the email delivery tests submit to. Debian's postgresql (initdb and pg_ctl) is
# the real PostgreSQL server the --storage.url tests start on a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v amtool >/dev/null || ! command -v prometheus-alertmanager >/dev/null || ! command -v prometheus >/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq prometheus-alertmanager prometheus >/dev/null; then
        :
    else
        echo "test.sh: could not install prometheus-alertmanager and prometheus; the comparisons with Alertmanager and the Prometheus sender test are skipped" >&2
    fi
fi
if ! command -v htpasswd >/dev/null; then
    # apache2-utils' htpasswd -B makes the bcrypt users of the --web.config.file tests (skipped without it).
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq apache2-utils >/dev/null \
        || echo "test.sh: could not install apache2-utils; the --web.config.file tests are skipped" >&2
fi
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    # aiosmtpd (PyPI) is the real SMTP server of the email delivery tests (scripts/smtp-sink.py; skipped without it).
    python3 -m pip install -q aiosmtpd \
        || echo "test.sh: could not install aiosmtpd; the SMTP delivery tests are skipped" >&2
fi
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    # The PostgreSQL store's tests start their own server from these binaries (skipped without them); the package's
    # own cluster is not used (and not started).
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null; } \
        || echo "test.sh: could not install postgresql; the PostgreSQL storage tests are skipped" >&2
fi
swift build --build-tests
# The PostgreSQL suites (a real server per test, blocking starts) run on their own after the rest: in the same parallel
# run, the engine's clock-driven tests (DispatcherTests, ReloadTests, ...) exceeded their 60 s time limits (seen twice
# on 2 cores; the cause, likely cooperative-pool starvation, is not yet pinned down).
swift test --skip-build --parallel --skip 'PostgresStorageLive|PostgresStateStoreTests'
swift test --skip-build --filter 'PostgresStorageLive|PostgresStateStoreTests'
