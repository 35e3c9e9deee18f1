import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonUI
import Testing

/// What the UI's pages compute from the alerts and silences the API hands them: per-tenant counts, the spread of
/// an alert name over tenants, pagination, why an alert is muted, maintenance windows, and the rendered HTML.
@Suite struct UIViewModels {
    private static let now = Date(timeIntervalSince1970: 1_795_327_939)
    private static let links = UILinks(base: "/am")

    private static func alert(
        _ name: String, tenant: String?, silenced: [String] = [], inhibited: [String] = [],
        extra: [String: String] = [:]
    ) -> GettableAlert {
        var labels = ["alertname": name, "instance": "\(name)-\(tenant ?? "p")-\(extra.count)"]
        if let tenant { labels["tenant_id"] = tenant }
        labels.merge(extra) { $1 }
        let set = LabelSet(labels)
        return GettableAlert(
            labels: set, annotations: ["summary": "\(name) <b>"], startsAt: now, endsAt: now + 300, updatedAt: now,
            fingerprint: set.fingerprint.description, receivers: ["team"],
            generatorURL: "http://prom/graph?g0.expr=up",
            state: silenced.isEmpty && inhibited.isEmpty ? .active : .suppressed, silencedBy: silenced,
            inhibitedBy: inhibited)
    }

    @Test func overviewCountsFiringSilencedAndInhibitedPerTenant() {
        let alerts = [
            Self.alert("Latency", tenant: "acme"),
            Self.alert("Latency", tenant: "acme", extra: ["pod": "2"]),
            Self.alert("DiskFull", tenant: "acme", silenced: ["s1"]),
            Self.alert("Latency", tenant: "globex", inhibited: ["f"]),
            Self.alert("Watchdog", tenant: nil),
        ]
        let overview = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links)
        #expect(overview.tenantCount == 2)
        let acme = overview.tenants.first { $0.tenant == "acme" }
        #expect(acme?.total == 3)
        #expect(acme?.firing == 2)
        #expect(acme?.silenced == 1)
        #expect(acme?.inhibited == 0)
        #expect(acme?.loudest.map(\.name) == ["Latency", "DiskFull"])
        let globex = overview.tenants.first { $0.tenant == "globex" }
        #expect(globex?.firing == 0)
        #expect(globex?.inhibited == 1)
        #expect(overview.platform?.total == 1)
        #expect(overview.platform?.loudest.map(\.name) == ["Watchdog"])
        #expect(overview.totals.total == 5)
        #expect(overview.totals.firing == 3)
    }

    @Test func overviewSortsTenantsByTheChosenColumnThenName() {
        let alerts =
            [Self.alert("A", tenant: "zeta"), Self.alert("B", tenant: "zeta")]
            + [Self.alert("A", tenant: "alpha", silenced: ["s"]), Self.alert("A", tenant: "beta")]
        let byFiring = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links, sort: .firing)
        #expect(byFiring.tenants.map(\.tenant) == ["zeta", "beta", "alpha"])
        let bySilenced = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links, sort: .silenced)
        #expect(bySilenced.tenants.map(\.tenant) == ["alpha", "beta", "zeta"])
        let byName = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links, sort: .tenant)
        #expect(byName.tenants.map(\.tenant) == ["alpha", "beta", "zeta"])
    }

    @Test func anAlertNameFiringInManyTenantsIsOneSpreadRow() {
        var alerts = (0..<50).map { Self.alert("LatencySpike", tenant: "tenant-\($0)") }
        alerts.append(Self.alert("LatencySpike", tenant: "tenant-0", extra: ["pod": "b"]))
        alerts.append(Self.alert("LatencySpike", tenant: "muted", silenced: ["s"]))
        alerts.append(Self.alert("OnlyOne", tenant: "tenant-1"))
        let overview = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links)
        #expect(overview.spread.count == 1)
        let row = overview.spread[0]
        #expect(row.name == "LatencySpike")
        #expect(row.firingTenants == 50)
        #expect(row.tenants == 51)
        #expect(row.alerts == 52)
        #expect(row.sample.count == 5)
        #expect(row.more)
        #expect(row.link == "/am/ui/alerts?filter=%7Balertname%3D%22LatencySpike%22%7D&group=tenant_id")
    }

    @Test func tenantTableIsPaginated() {
        let alerts = (0..<120).map { Self.alert("A", tenant: String(format: "t%03d", $0)) }
        let second = Overview(
            alerts: alerts, tenantLabel: "tenant_id", links: Self.links, sort: .tenant, page: 2, pageSize: 50)
        #expect(second.pages == 3)
        #expect(second.tenants.count == 50)
        #expect(second.tenants.first?.tenant == "t050")
        let beyond = Overview(
            alerts: alerts, tenantLabel: "tenant_id", links: Self.links, sort: .tenant, page: 9, pageSize: 50)
        #expect(beyond.page == 3)
        #expect(beyond.tenants.count == 20)
    }

    @Test func theTenantLabelIsTheConfiguredOne() {
        let alerts = [Self.alert("A", tenant: nil, extra: ["customer": "acme"])]
        let overview = Overview(alerts: alerts, tenantLabel: "customer", links: Self.links)
        #expect(overview.tenants.map(\.tenant) == ["acme"])
        #expect(overview.platform == nil)
        #expect(overview.tenants[0].link == "/am/ui/alerts?filter=%7Bcustomer%3D%22acme%22%7D")
    }

    @Test func alertListGroupsOnePageByTheLabelAndSaysWhyAlertsAreMuted() {
        let inhibitor = Self.alert("NodeDown", tenant: "acme")
        let alerts = [
            Self.alert("Latency", tenant: "globex"),
            Self.alert("Latency", tenant: "acme", inhibited: [inhibitor.fingerprint]),
            Self.alert("Disk", tenant: "acme", silenced: ["6f1c3c47-7f0e-4c0e-9f1b-2b9c5d0e1a11"]),
        ]
        let list = AlertList(
            alerts: alerts, inhibitors: [inhibitor.fingerprint: inhibitor], groupBy: "tenant_id", links: Self.links)
        #expect(list.total == 3)
        #expect(list.groups.map(\.title) == [#"tenant_id="acme""#, #"tenant_id="globex""#])
        let acme = list.groups[0].alerts
        #expect(acme.map(\.name) == ["Disk", "Latency"])
        #expect(acme[0].silencedBy.map(\.link) == ["/am/ui/silences?id=6f1c3c47-7f0e-4c0e-9f1b-2b9c5d0e1a11"])
        #expect(acme[1].inhibitedBy.first?.labels == inhibitor.labels.description)
        #expect(acme[1].inhibitedBy.first?.link != nil)
        #expect(!acme[1].firing)
        #expect(list.groups[1].alerts[0].firing)
    }

    @Test func alertListPagesAreBoundedAndNonWebGeneratorLinksAreDropped() {
        var alerts = (0..<250).map { Self.alert("A\($0)", tenant: "acme") }
        alerts[0].generatorURL = "javascript:alert(1)"
        let list = AlertList(alerts: alerts, inhibitors: [:], groupBy: "", links: Self.links, page: 3, pageSize: 100)
        #expect(list.pages == 3)
        #expect(list.groups.flatMap(\.alerts).count == 50)
        let first = AlertList(alerts: alerts, inhibitors: [:], groupBy: "", links: Self.links, pageSize: 100)
        #expect(first.groups[0].alerts.first { $0.name == "A0" }?.generatorURL == nil)
        #expect(first.groups[0].alerts.first { $0.name == "A1" }?.generatorURL == "http://prom/graph?g0.expr=up")
    }

    private static func silence(
        _ id: String, _ state: SilenceState, matchers: [SilenceMatcherSpec], createdBy: String = "ops",
        comment: String = "c"
    ) -> GettableSilence {
        GettableSilence(
            id: id, state: state, startsAt: now - 60, endsAt: now + 3600, updatedAt: now, createdBy: createdBy,
            comment: comment, matchers: matchers)
    }

    @Test func silenceListSplitsByStateFiltersAndShowsMaintenanceWindows() {
        let acme = SilenceMatcherSpec(type: .equal, name: "tenant_id", value: "acme")
        let window = Self.silence(
            "w", .active, matchers: [acme], createdBy: "klaxonctl-maintenance (octocat)",
            comment:
                "[klaxon-maintenance key=deploy-acme-42] Deploying via GitHub Actions deploy "
                + "https://github.com/acme/api/actions/runs/42 commit 0a1b2c3d4e5f by octocat")
        let silences = [
            window,
            Self.silence("p", .pending, matchers: [acme]),
            Self.silence("x", .expired, matchers: [SilenceMatcherSpec(type: .equal, name: "tenant_id", value: "b")]),
        ]
        let list = SilenceList(silences: silences, filter: [], highlight: "p", links: Self.links)
        #expect(list.sections.map(\.count) == [1, 1, 1])
        #expect(list.sections[1].silences[0].highlighted)
        #expect(!list.sections[2].silences[0].expirable)
        #expect(list.windows.count == 1)
        #expect(list.windows[0].window?.key == "deploy-acme-42")
        #expect(list.windows[0].window?.pipelineURL == "https://github.com/acme/api/actions/runs/42")
        #expect(list.windows[0].window?.commit == "0a1b2c3d4e5f")
        #expect(list.windows[0].window?.actor == "octocat")
        let filtered = SilenceList(silences: silences, filter: [acme], highlight: "", links: Self.links)
        #expect(filtered.sections.map(\.count) == [1, 1, 0])
    }

    @Test func theEditorRefusesAnEmptyMatcherSetAndParsesAsAlertmanager() throws {
        for empty in ["", "  ", "{}"] {
            guard case .failure = SilenceEditor.parseMatchers(empty) else {
                Issue.record("\(empty) was accepted")
                continue
            }
        }
        guard case .failure = SilenceEditor.parseMatchers("{alertname=~\"(\"}") else {
            Issue.record("a bad regex was accepted")
            return
        }
        let parsed = try SilenceEditor.parseMatchers(#"{alertname="Latency", tenant_id=~"a|b"}"#).get()
        #expect(parsed.map(\.description) == [#"alertname="Latency""#, #"tenant_id=~"a|b""#])
    }

    @Test func aTenantAdminsEditorSuggestsTheMatcherTheServerRequires() {
        #expect(SilenceEditor.tenantMatcher(scope: .all, tenantLabel: "tenant_id") == nil)
        #expect(
            SilenceEditor.tenantMatcher(scope: .tenants(["acme"]), tenantLabel: "tenant_id") == #"tenant_id="acme""#)
        #expect(
            SilenceEditor.tenantMatcher(scope: .tenants(["b.x", "a"]), tenantLabel: "tenant_id")
                == #"tenant_id=~"a|b\\.x""#)
    }

    @Test func pagesEscapeWhatAlertsCarry() {
        let renderer = UIRenderer(links: Self.links)
        let hostile = Self.alert("<script>x</script>", tenant: "a\"><img src=x>")
        let overview = Overview(alerts: [hostile, hostile], tenantLabel: "tenant_id", links: Self.links)
        let html = renderer.page(
            title: "Overview", section: .overview, user: "ops",
            body: renderer.overview(overview, tenantLabel: "tenant_id", sort: .firing))
        #expect(!html.contains("<script>x"))
        #expect(!html.contains("<img src=x>"))
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(html.contains("/am/ui/assets/klaxon.js"))
        let list = AlertList(alerts: [hostile], inhibitors: [:], groupBy: "alertname", links: Self.links)
        let alertsHTML = renderer.alerts(
            list, form: UIRenderer.AlertForm(filter: "\"><b>", group: "alertname", receiver: "", state: ""),
            error: nil)
        #expect(!alertsHTML.contains("<script>x"))
        #expect(!alertsHTML.contains("\"><b>"))
        #expect(alertsHTML.contains("&lt;b&gt;"))
    }

    @Test func overviewOfOneHundredThousandAlertsRendersOnlyOnePageOfTenants() {
        var alerts: [GettableAlert] = []
        alerts.reserveCapacity(100_000)
        for index in 0..<100_000 {
            alerts.append(Self.alert("Alert\(index % 40)", tenant: "tenant-\(index % 500)", extra: ["n": "\(index)"]))
        }
        let overview = Overview(alerts: alerts, tenantLabel: "tenant_id", links: Self.links)
        #expect(overview.tenantCount == 500)
        #expect(overview.tenants.count == 50)
        #expect(overview.totals.total == 100_000)
        let renderer = UIRenderer(links: Self.links)
        let html = renderer.overview(overview, tenantLabel: "tenant_id", sort: .firing)
        #expect(html.utf8.count < 200_000)
    }
}

@Suite struct UISilenceEditorPage {
    @Test func theEditorSaysWhetherItCreatesOrEditsASilence() {
        let renderer = UIRenderer(links: UILinks(base: ""))
        let new = renderer.silenceEditor(SilenceEditor(matchers: #"{a="1"}"#), previewError: nil)
        #expect(new.contains("<h1>New silence</h1>"))
        #expect(new.contains(">Create</button>"))
        let edit = renderer.silenceEditor(SilenceEditor(matchers: #"{a="1"}"#, id: "abc"), previewError: nil)
        #expect(edit.contains("<h1>Edit silence</h1>"))
        #expect(edit.contains(">Update</button>"))
        #expect(edit.contains(#"name="id" value="abc""#))
    }
}
