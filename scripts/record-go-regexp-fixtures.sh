#!/usr/bin/env bash
# Records what Go's regexp answers, for the tests that hold Klaxon's regexp engine (GoLinearRegexp) to Go's:
#  - scripts/go-regexp/cases.txt (pattern<TAB>input, matched as Alertmanager's matchers match: ^(?:pattern)$) into
#    Tests/KlaxonGoCompatTests/Fixtures/go-regexp-matches.json;
#  - scripts/go-regexp/submatch-cases.jsonl (leftmost-first submatches, MatchString, ReplaceAllString) into
#    Tests/KlaxonGoCompatTests/Fixtures/go-regexp-submatches.json (with the errors of refused patterns);
#  - random short patterns (scripts/go-regexp/random, fixed seed) into
#    Tests/KlaxonGoCompatTests/Fixtures/go-regexp-random.json;
# and writes Go's Unicode category and script tables (what \p{Name} matches) and case-folding orbits into
# Sources/KlaxonGoCompat/GoUnicodeProperties+Tables.swift. Alertmanager 0.25 was built with Go 1.19.
set -euo pipefail
cd "$(dirname "$0")/go-regexp"
command -v go >/dev/null || apt-get install -y -q golang-go >/dev/null
fixtures=../../Tests/KlaxonGoCompatTests/Fixtures
GO111MODULE=off go run gen.go > "$fixtures/go-regexp-matches.json"
(cd submatch && GO111MODULE=off go run gen.go > "../$fixtures/go-regexp-submatches.json")
(cd unicode && GO111MODULE=off go run gen.go version.go > "../../../Sources/KlaxonGoCompat/GoUnicodeProperties+Tables.swift")
(cd random && GO111MODULE=off go run gen.go > "../$fixtures/go-regexp-random.json")
go version
