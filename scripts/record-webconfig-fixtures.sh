#!/usr/bin/env bash
# Records the error Alertmanager 0.25 (exporter-toolkit 0.8.2) stops with for every
# Tests/KlaxonConfigTests/Fixtures/web/bad/web.bad-*.yml, into expected-messages.json beside them: Alertmanager is
# started with the file as --web.config.file on a free loopback port and exits with `msg="Listen error" err="..."`.
# Every bad fixture fails before the TLS files are read, so the fixtures name files that need not exist.
# Needs: prometheus-alertmanager (apt-get install prometheus-alertmanager), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
AM=${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}
python3 - "$AM" Tests/KlaxonConfigTests/Fixtures/web/bad <<'PY'
import json, os, re, socket, subprocess, sys, tempfile
am, folder = sys.argv[1:]
messages = {}
with tempfile.TemporaryDirectory() as work:
    with open(os.path.join(work, "alertmanager.yml"), "w") as f:
        f.write("route:\n  receiver: default\nreceivers:\n  - name: default\n")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yml"):
            continue
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        run = subprocess.run(
            [am, "--config.file=" + os.path.join(work, "alertmanager.yml"), "--storage.path=" + os.path.join(work, "data"),
             "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address=",
             "--web.config.file=" + os.path.join(folder, name)],
            capture_output=True, text=True, timeout=30)
        match = re.search(r'msg="Listen error" err=("(?:[^"\\]|\\.)*"|\S+)', run.stderr)
        if run.returncode == 0 or not match:
            sys.exit("%s: Alertmanager did not stop with a listen error:\n%s" % (name, run.stderr))
        err = match.group(1)
        messages[name] = json.loads(err) if err.startswith('"') else err
with open(os.path.join(folder, "expected-messages.json"), "w") as f:
    json.dump(messages, f, indent=2, sort_keys=True)
    f.write("\n")
print("recorded %d messages" % len(messages))
PY
