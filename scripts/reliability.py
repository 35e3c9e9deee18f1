"""What the reliability scripts (crash-loop.py, outage.py, sigterm-flush.py) share: free ports, JSON requests, and a
klaxon process on its own store and port that a test starts, kills or stops."""
import json, os, signal, socket, subprocess, time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", body=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def rss_mib(pid):
    """The process's resident memory (VmRSS) in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def open_fds(pid):
    """How many file descriptors the process holds."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def webhook_config(work, sink_port, routed=None):
    """Writes `work`/alertmanager.yml and returns its path: alerts grouped by alertname, timers in seconds
    (group_wait 1s, group_interval 2s) and repeat_interval 1h, to a webhook on `sink_port`; `routed` maps a value of
    the label `sink` to the port of a webhook that gets those alerts instead (receiver `r<value>`)."""
    routed = routed or {}
    routes = "".join(f"""    - matchers: ['sink="{name}"']
      receiver: r{name}
""" for name in routed)
    receivers = "".join(f"""  - name: r{name}
    webhook_configs: [{{url: "http://127.0.0.1:{port}/hook"}}]
""" for name, port in routed.items())
    path = os.path.join(work, "alertmanager.yml")
    with open(path, "w") as f:
        f.write(f"""route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
{"  routes:" + chr(10) + routes if routes else ""}receivers:
  - name: hook
    webhook_configs: [{{url: "http://127.0.0.1:{sink_port}/hook"}}]
{receivers}""")
    return path


class Klaxon:
    """klaxon (the binary at `path`) with `config`, its store in `work`/data, on a free 127.0.0.1 port. Its output
    goes to `work`/klaxon.log; `extra_args` are added to its command line."""

    def __init__(self, path, config, work, extra_args=()):
        self.path, self.config, self.work, self.extra_args = path, config, work, list(extra_args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self):
        with open(os.path.join(self.work, "klaxon.log"), "ab") as log:
            self.proc = subprocess.Popen(
                [self.path, f"--config.file={self.config}", f"--storage.path={self.work}/data",
                 f"--web.listen-address=127.0.0.1:{self.port}"] + self.extra_args, stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"klaxon exited with {self.proc.returncode}; see {self.work}/klaxon.log")
            try:
                if request(self.url + "/-/ready", timeout=1)[0] == 200:
                    return
            except Exception:
                time.sleep(0.05)
        raise SystemExit("klaxon did not become ready")

    @property
    def pid(self):
        return self.proc.pid

    def kill(self):
        """kill -9, as a crash would."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL if it has not exited after `timeout` s; returns its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
