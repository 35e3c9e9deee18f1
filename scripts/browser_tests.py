"""Browser tests of Klaxon's web UI in real headless Chromium (see scripts/browser-tests.sh).

Starts klaxon with an access file (an admin with a bearer token, a tenant-admin of `acme` with basic auth from a
web config), posts alerts of several tenants through the API, then drives the pages: overview counts, the alert
filter, a silence created through the editor and seen silenced in the list and the API, expired again, a
Slack-template silence link, and a tenant-admin who never sees another tenant's alert. Screenshots of each page go
to a temporary folder printed at the start. Exits non-zero on the first failed check.
"""

import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

KLAXON = sys.argv[1]
KLAXONCTL = os.path.join(os.path.dirname(os.path.abspath(KLAXON)), "klaxonctl")
ADMIN_TOKEN = "ui-test-admin-token"
TENANT_USER, TENANT_PASSWORD = "acme-admin", "acme-secret"
OUT = tempfile.mkdtemp(prefix="klaxon-ui-screens-")
print(f"browser-tests: screenshots in {OUT}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
work = tempfile.mkdtemp(prefix="klaxon-ui-")
with open(os.path.join(work, "alertmanager.yml"), "w") as f:
    f.write(
        """route:
  receiver: team
  group_by: [tenant_id, alertname]
  group_wait: 1h
  group_interval: 1h
  repeat_interval: 4h
receivers:
  - name: team
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
log = open(os.path.join(work, "klaxon.log"), "w")
server = subprocess.Popen(
    [
        KLAXON,
        f"--config.file={work}/alertmanager.yml",
        f"--storage.path={work}/data",
        f"--web.listen-address=127.0.0.1:{PORT}",
        f"--web.external-url={BASE}",
        f"--web.config.file={work}/web.yml",
        f"--access.config.file={work}/access.yml",
    ],
    stdout=log,
    stderr=subprocess.STDOUT,
)
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


def api(method, path, body=None, headers=ADMIN):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=dict(headers))
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


def go(path):
    driver.get(BASE + path)


def text(css):
    return driver.find_element(By.CSS_SELECTOR, css).text


def wait_for(condition, what, timeout=10):
    try:
        WebDriverWait(driver, timeout).until(lambda _: condition())
    except Exception:
        raise AssertionError(f"timed out waiting for {what}")


try:
    for _ in range(300):
        try:
            if api("GET", "/-/ready", headers={})[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        raise AssertionError("klaxon did not become ready")

    def alert(name, tenant=None, **labels):
        labels = {"alertname": name, **labels}
        if tenant:
            labels["tenant_id"] = tenant
        return {
            "labels": labels,
            "annotations": {"summary": f"{name} in {tenant or 'the platform'}"},
            "generatorURL": "http://prometheus.example/graph?g0.expr=up",
        }

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
    print(f"browser-tests: {checks} checks passed; screenshots in {OUT}", flush=True)
finally:
    if driver is not None:
        driver.quit()
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
