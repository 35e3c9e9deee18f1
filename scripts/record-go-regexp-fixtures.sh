#!/usr/bin/env bash
# Records what Go's regexp answers for scripts/go-regexp/cases.txt (pattern<TAB>input, matched as Alertmanager's
# matchers match: ^(?:pattern)$) into Tests/KlaxonGoCompatTests/Fixtures/go-regexp-matches.json.
set -euo pipefail
cd "$(dirname "$0")/go-regexp"
command -v go >/dev/null || apt-get install -y -q golang-go >/dev/null
GO111MODULE=off go run gen.go > ../../Tests/KlaxonGoCompatTests/Fixtures/go-regexp-matches.json
