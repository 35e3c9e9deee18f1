import json, time, datetime, urllib.request, subprocess, os, signal, shutil
L = json.load(open("longs.json"))
AM = "http://127.0.0.1:19872"
def ts(dt): return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
def post(alerts):
    req = urllib.request.Request(AM + "/api/v2/alerts", data=json.dumps(alerts).encode(), headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
shutil.rmtree("out", ignore_errors=True); os.makedirs("out"); shutil.rmtree("data", ignore_errors=True)
sink = subprocess.Popen(["python3", "recsink.py", "19871", "out"])
env = dict(os.environ, SSL_CERT_FILE="/tmp/rec/ca.pem")
am = subprocess.Popen(["/usr/bin/prometheus-alertmanager", "--config.file=alertmanager.yml", "--storage.path=data",
    "--web.listen-address=127.0.0.1:19872", "--web.external-url=http://alertmanager.test:9093",
    "--cluster.listen-address=", "--log.level=debug"], env=env, stdout=open("am.log", "w"), stderr=subprocess.STDOUT)
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(AM + "/-/ready").read(); break
        except Exception: time.sleep(0.2)
    t0 = datetime.datetime.utcnow()
    start = ts(t0); end = ts(t0 + datetime.timedelta(seconds=300))
    A = [
      dict(labels=dict(alertname="SlackDefault", kind="slackdefault", instance="i1", severity="warning"), annotations=dict(summary="<b>bold</b> & co")),
      dict(labels=dict(alertname="SlackDefault", kind="slackdefault", instance="i2", severity="warning"), annotations=dict(summary="second \"quoted\"")),
      dict(labels=dict(alertname="SlackFull", kind="slackfull", instance="f1", team="payments", severity="critical"), annotations=dict(summary="full", long=L["long_title"])),
      dict(labels=dict(alertname="PDDefault", kind="pddefault", instance="p1", severity="critical"), annotations=dict(summary="pd one"), generatorURL="http://prom.test/graph?g0.expr=up&x=<1>"),
      dict(labels=dict(alertname="PDDefault", kind="pddefault", instance="p2", severity="warning"), annotations=dict(summary="pd two")),
      dict(labels=dict(alertname="PDFull", kind="pdfull", team="ops", severity="critical"), annotations=dict(summary="pd full summary", long=L["long_desc"])),
      dict(labels=dict(alertname="PDBig", kind="pdbig"), annotations=dict(huge="x" * 600000)),
      dict(labels=dict(alertname="PDV1", kind="pdv1", severity="critical"), annotations=dict(summary="v1 summary")),
    ]
    for a in A: a["startsAt"] = start; a["endsAt"] = end
    post(A)
    time.sleep(3)
    past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
    R = [dict(a, endsAt=past) for a in A if a["labels"].get("instance") != "i1"]
    post(R)
    time.sleep(3)
    past = ts(datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
    post([dict(A[0], endsAt=past)])
    time.sleep(3.5)
finally:
    am.send_signal(signal.SIGTERM); am.wait(10)
    sink.send_signal(signal.SIGTERM); sink.wait(10)
print(sorted(os.listdir("out")))
