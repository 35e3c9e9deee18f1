"""Browser tests of Klaxon's web UI in real headless Chromium (see scripts/browser-tests.sh).

Starts klaxon with an access file (an admin with a bearer token, a tenant-admin of `acme` with basic auth from a
web config) and a webhook receiver pointing at a sink this script runs, posts alerts of several tenants through the
API, then drives the pages: overview counts, the alert list grouped by the route's groups and its filter, a silence
created through the editor and seen silenced in the list and the API, an alert's detail page (why it is silenced,
its routes, its timeline with the firing event and the webhook notification that carried it) and its group's page,
the silence expired again, a Slack-template silence link, the status page's last reload, and a tenant-admin who never
sees another tenant's alert (its detail page is not found). Screenshots of each page go to a temporary folder
printed at the start. Exits non-zero on the first failed check.

Then the README's screenshot: a second klaxon on the example configuration (alertmanager.yml, its receivers' URLs
pointed at the sink so that nothing leaves the machine) with demo alerts of several tenants; the overview is saved
as readme-overview.png, and with --update-docs also as docs/images/ui-overview.png.
"""

import base64
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
UPDATE_DOCS = "--update-docs" in sys.argv[1:]
KLAXON = ARGS[0]
KLAXONCTL = os.path.join(os.path.dirname(os.path.abspath(KLAXON)), "klaxonctl")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_TOKEN = "ui-test-admin-token"
TENANT_USER, TENANT_PASSWORD = "acme-admin", "acme-secret"
OUT = tempfile.mkdtemp(prefix="klaxon-ui-screens-")
print(f"browser-tests: screenshots in {OUT}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink(http.server.BaseHTTPRequestHandler):
    """Every receiver's endpoint: answers 200 and keeps what was posted."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Sink.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=sink.serve_forever, daemon=True).start()
SINK = f"http://127.0.0.1:{sink.server_address[1]}"

PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
work = tempfile.mkdtemp(prefix="klaxon-ui-")
with open(os.path.join(work, "alertmanager.yml"), "w") as f:
    f.write(
        f"""route:
  receiver: team
  group_by: [tenant_id, alertname]
  group_wait: 1s
  group_interval: 1h
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs:
      - url: {SINK}/team
"""
    )
bcrypt = subprocess.run(
    ["htpasswd", "-nbBC", "10", TENANT_USER, TENANT_PASSWORD], check=True, capture_output=True, text=True
).stdout.strip().split(":", 1)[1]
with open(os.path.join(work, "web.yml"), "w") as f:
    f.write(f"basic_auth_users:\n  {TENANT_USER}: {bcrypt}\n")
with open(os.path.join(work, "access.yml"), "w") as f:
    f.write(
        f"""principals:
  - name: platform
    role: admin
    bearer_token_sha256: "{hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest()}"
  - name: {TENANT_USER}
    role: tenant-admin
    tenants: [acme]
"""
    )
servers = []


def start_klaxon(directory, port, *flags):
    """Starts klaxon on `directory`/alertmanager.yml and 127.0.0.1:`port`; stopped at the end."""
    log = open(os.path.join(directory, "klaxon.log"), "w")
    process = subprocess.Popen(
        [
            KLAXON,
            f"--config.file={directory}/alertmanager.yml",
            f"--storage.path={directory}/data",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--web.external-url=http://127.0.0.1:{port}",
            *flags,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    servers.append(process)
    return process


start_klaxon(work, PORT, f"--web.config.file={work}/web.yml", f"--access.config.file={work}/access.yml")
driver = None
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TENANT = {"Authorization": "Basic " + base64.b64encode(f"{TENANT_USER}:{TENANT_PASSWORD}".encode()).decode()}
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1
    print(f"  ok: {what}", flush=True)


def api(method, path, body=None, headers=ADMIN, base=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request((base or BASE) + path, data=data, method=method, headers=dict(headers))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.startswith(("[", "{")) else text)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def shot(name):
    path = os.path.join(OUT, f"{name}.png")
    driver.save_screenshot(path)
    return path


def as_user(headers):
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})


def go(path, base=None):
    driver.get((base or BASE) + path)


def text(css):
    return driver.find_element(By.CSS_SELECTOR, css).text


def content(css):
    """The element's text as written (`text` is as shown: CSS may upper-case it)."""
    return driver.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip()


def wait_for(condition, what, timeout=10):
    try:
        WebDriverWait(driver, timeout).until(lambda _: condition())
    except Exception:
        raise AssertionError(f"timed out waiting for {what}")


def wait_ready(base):
    for _ in range(300):
        try:
            if api("GET", "/-/ready", headers={}, base=base)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"klaxon at {base} did not become ready")


def alert(name, tenant=None, **labels):
    labels = {"alertname": name, **labels}
    if tenant:
        labels["tenant_id"] = tenant
    return {
        "labels": labels,
        "annotations": {"summary": f"{name} in {tenant or 'the platform'}"},
        "generatorURL": "http://prometheus.example/graph?g0.expr=up",
    }


def readme_screenshot():
    """The overview of the example configuration with demo alerts of several tenants, for the README."""
    demo = tempfile.mkdtemp(prefix="klaxon-ui-demo-")
    with open(os.path.join(REPO, "alertmanager.yml")) as f:
        config = f.read()
    # The example's routes, receivers and inhibition rules as they are; only where notifications would go changes.
    config = (
        config.replace("http://127.0.0.1:5001", SINK)
        .replace("https://events.pagerduty.com/v2/enqueue", SINK + "/pagerduty")
        .replace("https://hooks.slack.com/services/T00000000/B00000000/FAKEFAKEFAKEFAKEFAKEFAKE", SINK + "/slack")
        .replace("'templates/*.tmpl'", "'" + os.path.join(REPO, "templates") + "/*.tmpl'")
    )
    check("127.0.0.1:5001" not in config and "pagerduty.com" not in config, "the demo notifies only the sink")
    with open(os.path.join(demo, "alertmanager.yml"), "w") as f:
        f.write(config)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start_klaxon(demo, port)
    wait_ready(base)
    demo_alerts = []
    tenants = ["finance", "marketing", "operations", "retail", "logistics", "research", "support"]
    for index, tenant in enumerate(tenants):
        cluster = "eu-1" if index % 3 == 0 else "us-2"
        demo_alerts.append(alert("HighLatency", tenant, severity="warning", cluster=cluster, service="api"))
        if index % 2 == 0:
            demo_alerts.append(alert("ErrorBudgetBurn", tenant, severity="critical", cluster=cluster, service="api"))
        for instance in range(index % 4):
            demo_alerts.append(alert("DiskFilling", tenant, severity="warning", cluster=cluster, instance=f"db-{instance}"))
    demo_alerts.append(alert("PodCrashLooping", "operations", severity="critical", cluster="us-2", team="database"))
    demo_alerts.append(alert("PlatformDown", cluster="eu-1", severity="critical"))
    demo_alerts.append(alert("Watchdog", severity="none"))
    status, body = api("POST", "/api/v2/alerts", demo_alerts, headers={}, base=base)
    check(status == 200, f"{len(demo_alerts)} demo alerts of {len(tenants)} tenants posted ({status} {body})")
    now = time.time()
    silence = {
        "matchers": [
            {"name": "tenant_id", "value": "marketing", "isRegex": False},
            {"name": "alertname", "value": "HighLatency", "isRegex": False},
        ],
        "startsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "endsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 7200)),
        "createdBy": "demo",
        "comment": "campaign launch",
    }
    status, _ = api("POST", "/api/v2/silences", silence, headers={}, base=base)
    check(status == 200, "a demo silence for marketing")
    go("/ui/overview", base=base)
    check(
        text('#tenants tr[data-tenant="finance"] td[data-col="inhibited"]') == "2",
        "PlatformDown in eu-1 inhibits finance's eu-1 alerts (the example's first inhibition rule)",
    )
    check(text('#tenants tr[data-tenant="marketing"] td[data-col="silenced"]') == "1", "the demo silence counts")
    path = shot("readme-overview")
    if UPDATE_DOCS:
        target = os.path.join(REPO, "docs", "images", "ui-overview.png")
        shutil.copyfile(path, target)
        print(f"browser-tests: README screenshot written to {target}", flush=True)


try:
    wait_ready(BASE)

    alerts = [
        alert("HighLatency", "acme", instance="a1"),
        alert("HighLatency", "acme", instance="a2"),
        alert("DiskFull", "acme", instance="a1"),
        alert("HighLatency", "globex", instance="g1"),
        alert("CacheMiss", "globex", instance="g1"),
        alert("HighLatency", "initech", instance="i1"),
        alert("Watchdog"),
    ]
    status, body = api("POST", "/api/v2/alerts", alerts)
    check(status == 200, f"alerts of three tenants and the platform posted ({status} {body})")

    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    as_user(ADMIN)

    print("overview", flush=True)
    go("/")
    check("Overview" in driver.title, "/ answers with the overview")

    def tenant_cell(tenant, column):
        return text(f'#tenants tr[data-tenant="{tenant}"] td[data-col="{column}"]')

    check(tenant_cell("acme", "firing") == "3", "acme has 3 firing alerts")
    check(tenant_cell("globex", "total") == "2", "globex has 2 alerts")
    check(tenant_cell("initech", "firing") == "1", "initech has 1 firing alert")
    spread = text('#spread tr[data-alertname="HighLatency"] td[data-col="firingTenants"]')
    check(spread == "3", "HighLatency is one spread row firing in 3 tenants")
    check("1 alerts" in text("#platform"), "the Watchdog is a platform alert")
    shot("overview")

    print("alerts grouped by the route's groups", flush=True)
    go("/ui/alerts")
    headers = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.group h2")]
    check(len(headers) == 6, f"without a grouping label the list shows the route's 6 groups: {headers}")
    check(
        any(h.startswith('team {alertname="HighLatency", tenant_id="acme"}') for h in headers),
        "each group is named by its receiver and group_by labels",
    )
    check(text("#count") == "7 alerts", "all 7 alerts are listed")
    shot("alerts-route-groups")

    print("alerts filter", flush=True)
    go("/ui/alerts")
    box = driver.find_element(By.ID, "filter")
    box.clear()
    box.send_keys('{tenant_id="acme", alertname="HighLatency"}')
    box.submit()
    wait_for(lambda: "filter=" in driver.current_url, "the filtered alert list")
    check(text("#count") == "2 alerts", "the filter selects acme's 2 HighLatency alerts")
    items = driver.find_elements(By.CSS_SELECTOR, "li.alert")
    check(len(items) == 2, "two alerts are listed")
    check(all("tenant_id=\"acme\"" in item.text for item in items), "both are acme's")
    check(
        driver.find_element(By.CSS_SELECTOR, "li.alert a.source").get_attribute("href").startswith(
            "http://prometheus.example/"
        ),
        "the generator link is shown",
    )
    shot("alerts-filtered")
    go("/ui/alerts?filter=" + urllib.parse.quote("tenant_id=~\"(") + "")
    check("error" in driver.find_element(By.ID, "error").get_attribute("class"), "a bad matcher is reported")

    print("silence editor", flush=True)
    go("/ui/silences/new")
    check(text("h1") == "New silence" and text("#create-button") == "Create", "the editor opens for a new silence")
    matchers = driver.find_element(By.ID, "matchers")
    matchers.send_keys('{tenant_id="acme", alertname="DiskFull"}')
    wait_for(
        lambda: "would match 1 alerts" in driver.find_element(By.ID, "preview").text,
        "the live preview of the silence's alerts",
    )
    check(True, "the editor previews, live, the 1 alert the silence would match")
    driver.find_element(By.ID, "comment").send_keys("disk replacement")
    created_by = driver.find_element(By.ID, "createdBy")
    created_by.clear()
    created_by.send_keys("ui-test")
    shot("silence-editor")
    driver.find_element(By.ID, "create-button").click()
    wait_for(lambda: "created=" in driver.current_url, "the silence list after creating")
    silence_id = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)["created"][0]
    check("saved" in text("#flash"), f"silence {silence_id} was created through the editor")
    check(
        "active" in driver.find_element(By.ID, f"silence-{silence_id}").get_attribute("class"),
        "it is listed as active",
    )
    shot("silences")
    go("/ui/alerts?filter=" + urllib.parse.quote('{alertname="DiskFull"}'))
    why = text("li.alert .why")
    check(silence_id in why, "the alert list says the alert is silenced by that silence")
    status, listed = api("GET", "/api/v2/alerts?filter=" + urllib.parse.quote('alertname="DiskFull"'))
    check(listed[0]["status"]["silencedBy"] == [silence_id], "the API reports the alert silenced by it")
    shot("alert-silenced")

    print("alert detail", flush=True)
    go("/ui/alerts?filter=" + urllib.parse.quote('{alertname="DiskFull"}'))
    driver.find_element(By.CSS_SELECTOR, "li.alert a.alertname").click()
    wait_for(lambda: "/ui/alerts/" in driver.current_url, "the alert's detail page")
    fingerprint = driver.current_url.rsplit("/", 1)[1]
    check(fingerprint == listed[0]["fingerprint"], "the list links to the alert's own page")
    check(content("#alert-state") == "silenced", "the detail page says the alert is silenced")
    check('tenant_id="acme"' in text("#labels") and 'instance="a1"' in text("#labels"), "it shows the labels")
    check("DiskFull in acme" in text("#annotations"), "and the annotations")
    silence_link = driver.find_element(By.CSS_SELECTOR, "#why a.silence-ref")
    check(silence_link.text == silence_id, "why: the silence, linked")
    check("would notify" not in text("#routes") and "silenced by" in text("#routes"), "the route's verdict")

    def timeline_kinds():
        return [row.get_attribute("data-kind") for row in driver.find_elements(By.CSS_SELECTOR, "#timeline tr.event")]

    # The group waited 1 s, notified the sink, and the timeline commits once a second.
    deadline = time.time() + 20
    while "notification" not in timeline_kinds() and time.time() < deadline:
        time.sleep(0.5)
        driver.refresh()
    kinds = timeline_kinds()
    check(kinds[:1] == ["firing"], f"the timeline starts with the alert's firing event: {kinds}")
    check("notification" in kinds, "the timeline shows the notification that carried it")
    sent = text('#timeline tr[data-kind="notification"]')
    check("notification sent" in sent and "team webhook[0]" in sent, f"sent by the team webhook: {sent}")
    check("notification sent" in text("#notifications"), "the notification table lists it too")
    check(
        any(b'"alertname":"DiskFull"' in body for path, body in Sink.received if path == "/team"),
        "the sink did receive that notification",
    )
    shot("alert-detail")
    driver.find_element(By.CSS_SELECTOR, "#why a.silence-ref").click()
    wait_for(lambda: f"id={silence_id}" in driver.current_url, "the silence from the detail page")
    check(
        "highlighted" in driver.find_element(By.ID, f"silence-{silence_id}").get_attribute("class"),
        "the silence link lands on the silence",
    )
    go(f"/ui/alerts/{fingerprint}")
    driver.find_element(By.CSS_SELECTOR, "#routes a.group-link").click()
    wait_for(lambda: "/ui/groups?" in driver.current_url, "the group's page")
    check(text("#group-key") == '{}:{alertname="DiskFull", tenant_id="acme"}', "the group page names its key")
    check(len(driver.find_elements(By.CSS_SELECTOR, "li.alert")) == 1, "and lists its one alert")
    check(
        "notification" in [r.get_attribute("data-kind") for r in driver.find_elements(By.CSS_SELECTOR, "#timeline tr")],
        "its timeline has the group's notification",
    )
    shot("group-detail")

    print("empty silence refused", flush=True)
    go("/ui/silences/new")
    driver.find_element(By.ID, "comment").send_keys("nothing")
    driver.find_element(By.ID, "matchers").send_keys('{instance=~".*"}')
    driver.find_element(By.ID, "create-button").click()
    wait_for(lambda: driver.find_elements(By.ID, "error"), "the refusal")
    check("must not match the empty string" in text("#error"), "a silence matching everything is refused")

    print("expire", flush=True)
    go(f"/ui/silences?id={silence_id}")
    driver.find_element(By.CSS_SELECTOR, f"#silence-{silence_id} button.expire").click()
    wait_for(lambda: "expired=" in driver.current_url, "the silence list after expiring")
    check(
        "expired" in driver.find_element(By.ID, f"silence-{silence_id}").get_attribute("class"),
        "the silence is listed as expired",
    )
    status, got = api("GET", f"/api/v2/silence/{silence_id}")
    check(got["status"]["state"] == "expired", "the API reports it expired")
    status, listed = api("GET", "/api/v2/alerts?filter=" + urllib.parse.quote('alertname="DiskFull"'))
    check(listed[0]["status"]["silencedBy"] == [], "the alert is no longer silenced")
    shot("silence-expired")

    print("Alertmanager template links", flush=True)
    # The links come out of a real template render (klaxonctl template render, as amtool's), with the data a
    # notification of globex's HighLatency group to receiver `team` carries: the silence link of the Slack
    # templates people use with Alertmanager (0.25's default.tmpl has none) and default.tmpl's __alertmanagerURL.
    template = os.path.join(work, "slack.tmpl")
    with open(template, "w") as f:
        f.write(
            '{{ define "slack.silence_link" }}{{ .ExternalURL }}/#/silences/new?filter=%7B'
            '{{ range .CommonLabels.SortedPairs }}{{ if ne .Name "alertname" }}'
            '{{ .Name }}%3D"{{ .Value | urlquery }}"%2C%20{{ end }}{{ end }}'
            'alertname%3D"{{ .CommonLabels.alertname | urlquery }}"%7D{{ end }}'
        )
    data = os.path.join(work, "data.json")
    common = {"alertname": "HighLatency", "tenant_id": "globex", "instance": "g1"}
    with open(data, "w") as f:
        json.dump(
            {
                "receiver": "team",
                "status": "firing",
                "alerts": [{"status": "firing", "labels": common, "annotations": {}}],
                "groupLabels": {"tenant_id": "globex", "alertname": "HighLatency"},
                "commonLabels": common,
                "commonAnnotations": {},
                "externalURL": BASE,
            },
            f,
        )

    def render(text):
        return subprocess.run(
            [KLAXONCTL, "template", "render", f"--template.glob={template}", f"--template.data={data}",
             f"--template.text={text}"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()

    link = render('{{ template "slack.silence_link" . }}')
    check(link.startswith(BASE + "/#/silences/new?filter=%7B"), f"the template renders a silence link: {link}")
    driver.get(link)
    wait_for(lambda: "/ui/silences/new" in driver.current_url, "the editor from the Slack link")
    value = driver.find_element(By.ID, "matchers").get_attribute("value")
    check(
        all(m in value for m in ['tenant_id="globex"', 'alertname="HighLatency"', 'instance="g1"']),
        f"the editor is pre-filled with the link's matchers: {value}",
    )
    check("would match 1 alerts" in text("#preview"), "and previews globex's HighLatency alert")
    shot("slack-silence-link")
    alerts_link = render('{{ template "__alertmanagerURL" . }}')
    check(alerts_link == BASE + "/#/alerts?receiver=team", f"default.tmpl renders the alerts link: {alerts_link}")
    driver.get(alerts_link)
    wait_for(lambda: "/ui/alerts" in driver.current_url, "the alert list from #/alerts?receiver=")
    check(text("#count") == "7 alerts", "the receiver link lists the receiver's alerts")

    print("status", flush=True)
    go("/ui/status")
    check(text("#version") != "", "the status page shows the version")
    check("receivers:" in text("#config") or "receivers" in text("#config"), "and the configuration")
    check(text("#reload").startswith("succeeded at "), "the configuration loaded at start")
    config_file = os.path.join(work, "alertmanager.yml")
    with open(config_file) as f:
        good_config = f.read()
    with open(config_file, "w") as f:
        f.write(good_config.replace("  receiver: team\n", "  receiver: nobody\n", 1))
    status, body = api("POST", "/-/reload")
    check(status == 500, f"a configuration with an unknown receiver is rejected ({status})")
    go("/ui/status")
    check(text("#reload").startswith("failed at "), "the status page says the last reload failed")
    check("nobody" in text("#reload-error"), f"and why: {text('#reload-error')}")
    shot("status-reload-failed")
    with open(config_file, "w") as f:
        f.write(good_config)
    status, _ = api("POST", "/-/reload")
    check(status == 200, "the configuration is reloaded again")
    go("/ui/status")
    check(text("#reload").startswith("succeeded at "), "and the status page says so")
    shot("status")

    print("CSRF", flush=True)
    form = urllib.parse.urlencode(
        {"matchers": '{tenant_id="acme"}', "duration": "1h", "createdBy": "x", "comment": "x"}
    ).encode()
    for extra, what in [({}, "without Origin"), ({"Origin": "http://evil.example"}, "from another origin")]:
        request = urllib.request.Request(
            BASE + "/ui/silences",
            data=form,
            method="POST",
            headers={**ADMIN, "Content-Type": "application/x-www-form-urlencoded", **extra},
        )
        try:
            urllib.request.urlopen(request, timeout=10)
            code = 200
        except urllib.error.HTTPError as error:
            code = error.code
        check(code == 403, f"a form post {what} is refused")

    print("tenant admin (basic auth)", flush=True)
    as_user(TENANT)
    go("/ui/overview")
    rows = [row.get_attribute("data-tenant") for row in driver.find_elements(By.CSS_SELECTOR, "#tenants tbody tr")]
    check(rows == ["acme"], "the tenant admin's overview lists only acme")
    check("globex" not in driver.page_source and "initech" not in driver.page_source, "no other tenant is named")
    check(not driver.find_elements(By.ID, "platform"), "platform alerts are not shown")
    shot("tenant-overview")
    go("/ui/alerts?filter=" + urllib.parse.quote('tenant_id="globex"'))
    check(text("#count") == "0 alerts", "filtering for globex finds nothing")
    go("/ui/alerts")
    check("globex" not in driver.page_source, "the alert list has no globex alert")
    check(text("#count") == "3 alerts", "the alert list has acme's 3 alerts")
    shot("tenant-alerts")
    go("/ui/silences/new?filter=" + urllib.parse.quote('{alertname="HighLatency"}'))
    value = driver.find_element(By.ID, "matchers").get_attribute("value")
    check('tenant_id="acme"' in value, "the editor pre-fills the tenant matcher")
    check("would match 2 alerts" in text("#preview"), "the preview has only acme's alerts")
    matchers = driver.find_element(By.ID, "matchers")
    matchers.clear()
    matchers.send_keys('{alertname="HighLatency"}')
    driver.find_element(By.ID, "comment").send_keys("all tenants")
    driver.find_element(By.ID, "create-button").click()
    wait_for(lambda: driver.find_elements(By.ID, "error"), "the refusal")
    check("not confined to your tenants" in text("#error"), "the server refuses a silence beyond acme")
    shot("tenant-silence-refused")
    driver.get(link)
    wait_for(lambda: "/ui/silences/new" in driver.current_url, "the editor")
    check("would match 0 alerts" in text("#preview"), "a Slack link to globex's alert previews nothing")
    status, globex = api("GET", "/api/v2/alerts?filter=" + urllib.parse.quote('tenant_id="globex"'))
    other = globex[0]["fingerprint"]
    go(f"/ui/alerts/{other}")
    check(text("h1") == "Alert not found", "another tenant's alert page is not found")
    check("globex" not in driver.page_source, "and names nothing of it")
    check(api("GET", f"/ui/alerts/{other}", headers=TENANT)[0] == 404, "it answers 404, as an unknown alert")
    group = "/ui/groups?" + urllib.parse.urlencode(
        {"receiver": "team", "key": '{}:{alertname="CacheMiss", tenant_id="globex"}'}
    )
    check(api("GET", group, headers=TENANT)[0] == 404, "another tenant's group page answers 404")
    check(api("GET", group)[0] == 200, "which the admin sees")
    go(f"/ui/alerts/{fingerprint}")
    check(content("#alert-state") == "firing", "the tenant admin sees its own alert's page")
    shot("tenant-alert-detail")

    print("README screenshot (example configuration)", flush=True)
    as_user({})
    readme_screenshot()
    print(f"browser-tests: {checks} checks passed; screenshots in {OUT}", flush=True)
finally:
    if driver is not None:
        driver.quit()
    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    sink.shutdown()
    sink.server_close()
