#!/usr/bin/env bash
# Alertmanager 0.25's own acceptance tests (../shared/am-acceptance/run.sh, from Debian's source package) against
# release builds of klaxon and klaxonctl: the single-instance API tests with klaxon as the server, the amtool tests
# with klaxon as the server and klaxonctl as amtool, and the amtool tests with klaxonctl against the real
# Alertmanager. The two cluster tests (TestClusterDeduplication, TestClusterVSInstance) need replicas that share
# state, which Klaxon does not have yet; pass --all to run them too.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${AM_ACCEPTANCE:-../shared/am-acceptance/run.sh}"
[ -x "$RUN" ] || { echo "acceptance: $RUN not found" >&2; exit 2; }
single='^(TestAlertGetReturnsCurrentAlertStatus|TestRetry|TestRepeat|TestWebWithPrefix|TestSilenceDelete|TestMergeAlertsWithEndsAt|TestSilencing|TestMergeAlerts|TestAlwaysInhibiting|TestInhibiting|TestReload|TestFilterAlertRequest|TestBatching|TestResolved|TestResolvedFilter)$'
[ "${1:-}" = --all ] && single=.
swift build -c release --product klaxon
swift build -c release --product klaxonctl
bin="$PWD/.build/release"
status=0
echo "== API tests: klaxon as the server"
"$RUN" --server "$bin/klaxon" --amtool "$bin/klaxonctl" --suite api --run "$single" || status=1
echo "== amtool tests: klaxon as the server, klaxonctl as amtool"
"$RUN" --server "$bin/klaxon" --amtool "$bin/klaxonctl" --suite cli || status=1
echo "== amtool tests: the real Alertmanager, klaxonctl as amtool"
"$RUN" --amtool "$bin/klaxonctl" --suite cli || status=1
exit $status
