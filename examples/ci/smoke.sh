#!/usr/bin/env bash
# Runs the maintenance steps of github-actions.yml and gitlab-ci.yml, as written, against a local klaxon with the CI
# systems' environment variables faked and ./deploy.sh replaced by a stub that checks the window is open.
# Usage: examples/ci/smoke.sh   (after `swift build`; uses .build/debug/klaxon and klaxonctl)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/.build/debug"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'route:\n  receiver: default\nreceivers:\n  - name: default\n' > "$work/alertmanager.yml"
"$bin/klaxon" --config.file="$work/alertmanager.yml" --storage.path="$work/data" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn > "$work/klaxon.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break; sleep 0.1; done

export PATH="$bin:$PATH" ALERTMANAGER_URL="http://127.0.0.1:$port/" KLAXONCTL_HTTP="" TENANT=acme
cat > "$work/deploy.sh" <<'STUB'
#!/bin/sh
echo "deploying to $1; open windows:"
klaxonctl maintenance list
klaxonctl maintenance list | grep -q "^$MAINTENANCE_KEY .*tenant=\"acme\"" || { echo "window not open"; exit 1; }
STUB
chmod +x "$work/deploy.sh"

# Prints the run commands of the maintenance steps of one example file.
steps() {
    python3 - "$1" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
if "jobs" in doc:
    for step in doc["jobs"]["deploy"]["steps"]:
        if "klaxonctl maintenance" in step.get("run", ""):
            print(step["run"].replace("\\\n", " ").replace("--linger 5m", "--linger 1s").strip())
else:
    job = doc["deploy-production"]
    for line in job["script"] + [job["after_script"][-1]]:
        print(line.replace("--linger 5m", "--linger 1s").strip())
PY
}

# Prints the example's MAINTENANCE_KEY with the CI system's expressions and variables filled in from the environment,
# so that the key the stub checks is the one the example derives.
example_key() {
    python3 - "$1" <<'PY'
import os, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
if "jobs" in doc:
    key = doc["jobs"]["deploy"]["env"]["MAINTENANCE_KEY"]
    for expression, name in [("github.repository", "GITHUB_REPOSITORY"), ("github.run_id", "GITHUB_RUN_ID"),
                             ("github.job", "GITHUB_JOB"), ("matrix.tenant", "TENANT")]:
        key = key.replace("${{ %s }}" % expression, os.environ[name])
else:
    key = os.path.expandvars(doc["variables"]["MAINTENANCE_KEY"])
print(key)
PY
}

check() {
    local name=$1 key=$2
    local open
    open=$(curl -s "http://127.0.0.1:$port/api/v2/silences" | python3 -c "
import json, sys
key = sys.argv[1]
print(sum(1 for s in json.load(sys.stdin)
          if s['comment'].startswith('[klaxon-maintenance key=%s]' % key) and s['status']['state'] != 'expired'))
" "$key")
    [ "$open" = 0 ] || { echo "$name: $open window(s) still open" >&2; exit 1; }
    echo "$name: OK (window opened during the deploy, closed after)"
}

(
    cd "$work"
    export GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/api GITHUB_RUN_ID=4242 \
        GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 GITHUB_ACTOR=octocat GITHUB_WORKFLOW=deploy GITHUB_JOB=deploy
    MAINTENANCE_KEY=$(example_key "$root/examples/ci/github-actions.yml")
    [ "$MAINTENANCE_KEY" = "gha/acme/api/4242/deploy/acme" ] || { echo "unexpected key $MAINTENANCE_KEY" >&2; exit 1; }
    export MAINTENANCE_KEY
    steps "$root/examples/ci/github-actions.yml" | while IFS= read -r command; do
        echo "+ $command"
        # ${GITHUB_SHA::12} is bash syntax, as GitHub's default shell is bash.
        bash -c "$command" < /dev/null
    done
    check "GitHub Actions" "$MAINTENANCE_KEY"
)
(
    cd "$work"
    export GITLAB_CI=true CI_PIPELINE_URL=https://gitlab.example.com/acme/api/-/pipelines/77 CI_PIPELINE_ID=77 \
        CI_COMMIT_SHA=feedfacefeedfacefeedfacefeedfacefeedface CI_COMMIT_SHORT_SHA=feedface GITLAB_USER_LOGIN=alice \
        CI_PROJECT_PATH=acme/api CI_JOB_NAME=deploy-production
    MAINTENANCE_KEY=$(example_key "$root/examples/ci/gitlab-ci.yml")
    [ "$MAINTENANCE_KEY" = "gitlab/acme/api/77/deploy-production/acme" ] || {
        echo "unexpected key $MAINTENANCE_KEY" >&2
        exit 1
    }
    export MAINTENANCE_KEY
    steps "$root/examples/ci/gitlab-ci.yml" | while IFS= read -r command; do
        command=${command/--http.config.file=\/tmp\/klaxon-http.yml/}
        [[ $command == export* ]] && continue
        echo "+ $command"
        sh -c "$command" < /dev/null
    done
    check "GitLab CI" "$MAINTENANCE_KEY"
)
