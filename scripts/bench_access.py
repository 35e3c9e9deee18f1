#!/usr/bin/env python3
"""The cost of authorization: klaxon without and with --access.config.file, alternately, same machine, same run.

Ingest: wrk with ../shared/bench/ingest.lua (100 alerts per request, 50 tenants) as a sender whose bearer token
covers the 50 tenants (every alert's tenant is checked). Query: GET /api/v2/alerts over 10,000 alerts of the 50 tenants, as an
admin (sees all) and as a viewer of one tenant (sees 1/50). Prints medians and with/without ratios.
Usage: scripts/bench-access.sh [--rounds 3] [--duration 10]
"""
import argparse, hashlib, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LUA = os.path.abspath(os.path.join(ROOT, "..", "shared", "bench", "ingest.lua"))
WRAPPER = os.path.join(ROOT, "scripts", "bench_access_ingest.lua")
PORT = 18300
TENANTS = ["t%04d" % (t * 20) for t in range(50)]
TOKENS = {"sender": "bench-sender-token", "admin": "bench-admin-token", "viewer": "bench-viewer-token"}
CONFIG = "route:\n  receiver: default\n  group_by: [alertname, tenant_id]\nreceivers:\n  - name: default\n"


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def access_file():
    tenants = ", ".join(TENANTS)
    return (
        "principals:\n"
        f"  - {{name: admin, role: admin, bearer_token_sha256: {sha(TOKENS['admin'])}}}\n"
        f"  - {{name: sender, role: sender, tenants: [{tenants}], bearer_token_sha256: {sha(TOKENS['sender'])}}}\n"
        f"  - {{name: viewer, role: viewer, tenants: [t0000], bearer_token_sha256: {sha(TOKENS['viewer'])}}}\n"
    )


def start(binary, workdir, with_access):
    os.makedirs(workdir, exist_ok=True)
    config = os.path.join(workdir, "alertmanager.yml")
    open(config, "w").write(CONFIG)
    args = [binary, f"--config.file={config}", f"--storage.path={workdir}/data",
            f"--web.listen-address=127.0.0.1:{PORT}", f"--web.external-url=http://127.0.0.1:{PORT}/",
            "--log.level=warn"]
    if with_access:
        path = os.path.join(workdir, "access.yml")
        open(path, "w").write(access_file())
        args.append(f"--access.config.file={path}")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{PORT}/-/ready", timeout=1).status == 200:
                return proc
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("klaxon did not become ready")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wrk(args):
    out = subprocess.run(["wrk"] + args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError("non-2xx answers: " + non2xx.group(1) + "\n" + out)
    return rps


def post_fixed(count, token):
    """Posts `count` alerts of the 50 tenants in batches of 100."""
    import json
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    for start_index in range(0, count, 100):
        batch = [{"labels": {"alertname": "Alert%02d" % (n % 20), "tenant_id": TENANTS[n % 50], "instance": "i%d" % n}}
                 for n in range(start_index, start_index + 100)]
        req = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/v2/alerts", data=json.dumps(batch).encode(),
                                     method="POST", headers=headers)
        urllib.request.urlopen(req, timeout=30).read()


def round_(binary, with_access, duration, runid, query_alerts):
    auth = lambda who: ["-H", f"Authorization: Bearer {TOKENS[who]}"] if with_access else []
    workdir = tempfile.mkdtemp(prefix="klaxon-bench-access-")
    proc = start(binary, workdir, with_access)
    try:
        env = dict(os.environ, BENCH_BATCH="100", BENCH_RUNID=runid, BENCH_INGEST_LUA=LUA,
                   BENCH_AUTHORIZATION=("Bearer " + TOKENS["sender"]) if with_access else "")
        out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "-s", WRAPPER,
                              f"http://127.0.0.1:{PORT}/api/v2/alerts"], capture_output=True, text=True, env=env,
                             check=True).stdout
        if "Non-2xx" in out:
            raise RuntimeError(out)
        ingest = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) * 100
    finally:
        stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    workdir = tempfile.mkdtemp(prefix="klaxon-bench-access-")
    proc = start(binary, workdir, with_access)
    try:
        post_fixed(query_alerts, TOKENS["sender"] if with_access else None)
        url = f"http://127.0.0.1:{PORT}/api/v2/alerts?active=true"
        admin = wrk(["-t1", "-c2", "-d5s"] + auth("admin") + [url])
        viewer = wrk(["-t1", "-c2", "-d5s"] + auth("viewer") + [url]) if with_access else None
        return ingest, admin, viewer
    finally:
        stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "klaxon"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--query-alerts", type=int, default=10000)
    opts = ap.parse_args()
    results = {False: [], True: []}
    for r in range(opts.rounds):
        order = [False, True] if r % 2 == 0 else [True, False]
        for with_access in order:
            res = round_(opts.binary, with_access, opts.duration, f"r{r}{int(with_access)}", opts.query_alerts)
            results[with_access].append(res)
            print(f"round {r} access={with_access}: ingest {res[0]:.0f} alerts/s, GET alerts (admin) "
                  f"{res[1]:.1f}/s" + (f", GET alerts (one-tenant viewer) {res[2]:.1f}/s" if res[2] else ""),
                  flush=True)
    med = lambda xs: statistics.median(xs)
    ingest_off, ingest_on = med([x[0] for x in results[False]]), med([x[0] for x in results[True]])
    get_off, get_on = med([x[1] for x in results[False]]), med([x[1] for x in results[True]])
    viewer_on = med([x[2] for x in results[True]])
    print(f"ingest: {ingest_off:.0f} -> {ingest_on:.0f} alerts/s with access control "
          f"(throughput ratio {ingest_on / ingest_off:.3f}, cost {100 * (1 - ingest_on / ingest_off):.1f}%)")
    print(f"GET /api/v2/alerts (admin, all alerts): {get_off:.1f} -> {get_on:.1f} req/s (ratio {get_on / get_off:.3f})")
    print(f"GET /api/v2/alerts (viewer of 1 of 50 tenants): {viewer_on:.1f} req/s (ratio to unrestricted {viewer_on / get_off:.3f})")


if __name__ == "__main__":
    sys.exit(main())
