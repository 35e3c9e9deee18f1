#!/usr/bin/env bash
# Installs what building Klaxon needs on a fresh Debian/Ubuntu machine: libcurl's development headers
# and pkg-config. Does nothing when they are already there.
set -euo pipefail
if ! pkg-config --exists libcurl 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libcurl4-openssl-dev pkg-config >/dev/null
fi
