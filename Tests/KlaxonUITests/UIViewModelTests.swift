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
        #expect(acme[1].inhibitedBy.first?.link == "/am/ui/alerts/\(inhibitor.fingerprint)")
        #expect(acme[0].detailLink == "/am/ui/alerts/\(alerts[2].fingerprint)")
        #expect(!acme[1].firing)
        #expect(list.groups[1].alerts[0].firing)
    }

    @Test func withoutAGroupingLabelTheListShowsTheRoutesGroupsAndCountsAnAlertInTwoGroupsOnce() {
        let latency = Self.alert("Latency", tenant: "acme")
        let disk = Self.alert("Disk", tenant: "acme")
        let other = Self.alert("Latency", tenant: "globex")
        let groups = [
            AlertGroup(
                labels: ["alertname": "Latency", "tenant_id": "globex"], receiver: "team", alerts: [other],
                groupKey: #"{}:{alertname="Latency", tenant_id="globex"}"#),
            AlertGroup(
                labels: ["tenant_id": "acme"], receiver: "pager", alerts: [latency, disk],
                groupKey: #"{}/{severity="page"}:{tenant_id="acme"}"#),
            AlertGroup(
                labels: ["alertname": "Latency", "tenant_id": "acme"], receiver: "team", alerts: [latency],
                groupKey: #"{}:{alertname="Latency", tenant_id="acme"}"#),
        ]
        let list = AlertList(groups: groups, inhibitors: [:], links: Self.links)
        #expect(list.byRouteGroups)
        #expect(list.total == 3)
        // The API's order (`AlertGroup.listOrder`): by group labels, then receiver; alerts by name.
        #expect(
            list.groups.map(\.title) == [
                #"{tenant_id="acme"}"#, #"{alertname="Latency", tenant_id="acme"}"#,
                #"{alertname="Latency", tenant_id="globex"}"#,
            ])
        #expect(list.groups.map(\.receiver) == ["pager", "team", "team"])
        #expect(list.groups[0].alerts.map(\.name) == ["Disk", "Latency"])
        #expect(
            list.groups[0].link
                == "/am/ui/groups?filter=%7Btenant_id%3D%22acme%22%7D&key=%7B%7D%2F%7Bseverity%3D%22page%22%7D%3A%7Btenant_id%3D%22acme%22%7D&receiver=pager"
        )
        // Pages count rows: the alert in two groups takes two.
        let paged = AlertList(groups: groups, inhibitors: [:], links: Self.links, page: 2, pageSize: 2)
        #expect(paged.pages == 2)
        #expect(
            paged.groups.map(\.title) == [
                #"{alertname="Latency", tenant_id="acme"}"#, #"{alertname="Latency", tenant_id="globex"}"#,
            ])
    }

    @Test func theTimelineSaysWhatHappenedAndLinksTheSilencesAndAlertsItNames() {
        let alert = Self.alert("Latency", tenant: "acme")
        let fingerprint = Fingerprint(hex: alert.fingerprint) ?? Fingerprint(0)
        let source = Fingerprint(0xabc)
        let events = [
            HistoryEvent(sequence: 1, time: Self.now, kind: .firing, labels: alert.labels, fingerprints: [fingerprint]),
            HistoryEvent(
                sequence: 2, time: Self.now + 1, kind: .silenced, labels: alert.labels, fingerprints: [fingerprint],
                detail: "s1,s2"),
            HistoryEvent(
                sequence: 3, time: Self.now + 2, kind: .inhibited, labels: alert.labels, fingerprints: [fingerprint],
                detail: "by \(source)"),
            HistoryEvent(
                sequence: 4, time: Self.now + 3, kind: .notification, labels: alert.labels,
                fingerprints: [fingerprint, source], receiver: "team", integration: "webhook[0]", outcome: .failed,
                status: "503", attempt: 2, latency: 0.0844, detail: "server error"),
        ]
        let timeline = Timeline(events, links: Self.links)
        #expect(timeline.entries.map(\.summary) == ["firing", "silenced by", "inhibited by", "notification failed"])
        #expect(timeline.entries[1].links.map(\.href) == ["/am/ui/silences?id=s1", "/am/ui/silences?id=s2"])
        #expect(timeline.entries[2].links.map(\.href) == ["/am/ui/alerts/\(source)"])
        let notification = timeline.entries[3]
        #expect(notification.failed)
        #expect(notification.target == "team webhook[0]")
        #expect(notification.detail == "2 alerts · attempt 2 · 503 · 84 ms · server error")
        #expect(timeline.entries[0].time == "2026-11-22T06:12:19.000Z")
    }

    @Test func theAlertDetailSaysWhyItIsMutedWhereItRoutesAndWhatCarriedIt() throws {
        let alert = Self.alert("Latency", tenant: "acme", silenced: ["s1"])
        let fingerprint = try #require(Fingerprint(hex: alert.fingerprint))
        let route = Route(root: RouteSpec(receiver: "team", groupBy: .labels(["tenant_id"])))
        let explanation = Explanation(
            labels: alert.labels, at: Self.now, now: Self.now, route: route, timeIntervals: [:],
            inhibitor: Inhibitor(rules: []),
            silences: [
                Silence(
                    id: "s1", matchers: [try Matcher.parse(#"tenant_id="acme""#)], startsAt: Self.now - 60,
                    endsAt: Self.now + 60, updatedAt: Self.now, createdBy: "ops", comment: "deploy"),
                Silence(
                    id: "s2", matchers: [try Matcher.parse(#"alertname="Latency""#)], startsAt: Self.now - 60,
                    endsAt: Self.now + 60, updatedAt: Self.now, createdBy: "other", comment: "secret"),
            ])
        let response = ExplainResponse(explanation, visibleSilence: { $0.id == "s1" })
        let events = [
            HistoryEvent(sequence: 7, time: Self.now, kind: .firing, labels: alert.labels, fingerprints: [fingerprint]),
            HistoryEvent(
                sequence: 9, time: Self.now + 30, kind: .notification, labels: alert.labels,
                fingerprints: [fingerprint], receiver: "team", integration: "webhook[0]", outcome: .sent, attempt: 1),
        ]
        let detail = AlertDetail(
            alert: alert, fingerprint: alert.fingerprint, explanation: response, events: events,
            next: "/am/ui/alerts/\(alert.fingerprint)?cursor=9", links: Self.links, now: Self.now)
        #expect(detail.status == "silenced")
        #expect(detail.silences.map(\.link) == ["/am/ui/silences?id=s1", nil])
        #expect(detail.silences.map(\.hidden) == [false, true])
        #expect(detail.routes.map(\.receiver) == ["team"])
        #expect(detail.routes[0].groupBy == "[tenant_id]")
        #expect(
            detail.routes[0].groupLink
                == "/am/ui/groups?filter=%7Btenant_id%3D%22acme%22%7D&key=%7B%7D%3A%7Btenant_id%3D%22acme%22%7D&receiver=team"
        )
        #expect(!detail.routes[0].notifies)
        #expect(detail.notifications.map(\.summary) == ["notification sent"])
        let html = UIRenderer(links: Self.links).alertDetail(detail)
        #expect(html.contains(#"<a class="silence-ref" href="/am/ui/silences?id=s1">s1</a>"#))
        #expect(html.contains("a silence outside your tenants"))
        #expect(!html.contains("secret"))
        #expect(html.contains(#"data-kind="firing""#))
        #expect(html.contains(#"data-kind="notification""#))
        #expect(html.contains("&lt;b&gt;"))
        #expect(html.contains(#"id="timeline-next""#))

        // Gone from the store: its labels come from the timeline, and nothing is said about routes or silences.
        let gone = AlertDetail(
            alert: nil, fingerprint: alert.fingerprint, explanation: nil, events: events, next: nil, links: Self.links,
            now: Self.now)
        #expect(gone.status == "gone")
        #expect(gone.alert.name == "Latency")
        #expect(gone.routes.isEmpty)
    }

    @Test func theGroupTimelineKeepsItsOwnNotificationsAndItsAlertsTransitionsOnce() throws {
        let alert = Self.alert("Latency", tenant: "acme")
        let fingerprint = try #require(Fingerprint(hex: alert.fingerprint))
        let key = #"{}:{tenant_id="acme"}"#
        func event(_ sequence: Int64, _ kind: HistoryEvent.Kind, group: String = "") -> HistoryEvent {
            HistoryEvent(
                sequence: sequence, time: Self.now, kind: kind, labels: alert.labels, fingerprints: [fingerprint],
                receiver: group.isEmpty ? "" : "team", groupKey: group)
        }
        let events = [
            event(1, .firing), event(3, .notification, group: key), event(4, .notification, group: "{}:{other}"),
            event(2, .silenced, group: "{}:{other}"), event(1, .firing),
        ]
        let group = AlertGroup(labels: ["tenant_id": "acme"], receiver: "team", alerts: [alert], groupKey: key)
        let detail = GroupDetail(group, inhibitors: [:], events: events, sampled: false, links: Self.links)
        #expect(detail.timeline.entries.map(\.kind) == ["firing", "silenced", "notification"])
        #expect(detail.alertsLink == "/am/ui/alerts?filter=%7Btenant_id%3D%22acme%22%7D&receiver=team")
        let html = UIRenderer(links: Self.links).groupDetail(detail)
        #expect(html.contains(#"<code id="group-key">{}:{tenant_id=&quot;acme&quot;}</code>"#))
    }

    @Test func theStatusPageSaysTheLastReloadFailedAndWhyOnlyToThoseWhoSeeTheWholeConfiguration() {
        let renderer = UIRenderer(links: Self.links)
        let status = AlertmanagerStatus(
            configYAML: "route: {}", uptime: Self.now - 3600, versionInfo: .init(version: "0.25.0"))
        let failed = ConfigReloadResult(
            time: Self.now, succeeded: false, error: "undefined receiver \"nobody\"", appliedAt: Self.now - 3600)
        let admin = renderer.status(renderer.statusModel(status, receivers: [], lastReload: failed, now: Self.now))
        #expect(admin.contains("<b>failed</b> at 2026-11-22T06:12:19.000Z"))
        #expect(admin.contains("undefined receiver &quot;nobody&quot;"))
        #expect(admin.contains("loaded at 2026-11-22T05:12:19.000Z is still in force"))
        let tenant = renderer.status(
            renderer.statusModel(status, receivers: [], lastReload: failed, showsReloadError: false, now: Self.now))
        #expect(!tenant.contains("nobody"))
        #expect(tenant.contains("see the server&#39;s log") || tenant.contains("see the server's log"))
        let ok = ConfigReloadResult(time: Self.now, succeeded: true, appliedAt: Self.now)
        #expect(
            renderer.status(renderer.statusModel(status, receivers: [], lastReload: ok, now: Self.now)).contains(
                "succeeded at 2026-11-22T06:12:19.000Z"))
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

    @Test func theRoutesGroupsOfOneHundredThousandAlertsRenderOnlyOnePage() {
        var byGroup: [String: [GettableAlert]] = [:]
        for index in 0..<100_000 {
            let alert = Self.alert("Alert\(index % 40)", tenant: "tenant-\(index % 500)", extra: ["n": "\(index)"])
            byGroup["\(index % 40)/\(index % 500)", default: []].append(alert)
        }
        let groups = byGroup.values.map { alerts in
            let labels = LabelSet([
                "alertname": alerts[0].labels["alertname"] ?? "", "tenant_id": alerts[0].labels["tenant_id"] ?? "",
            ])
            return AlertGroup(labels: labels, receiver: "team", alerts: alerts, groupKey: "{}:\(labels)")
        }
        let list = AlertList(groups: groups, inhibitors: [:], links: Self.links, page: 2)
        #expect(list.total == 100_000)
        #expect(list.pages == 1000)
        #expect(list.groups.flatMap(\.alerts).count == 100)
        let html = UIRenderer(links: Self.links).alerts(
            list, form: UIRenderer.AlertForm(filter: "", group: "", receiver: "", state: ""), error: nil)
        #expect(html.utf8.count < 200_000)
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
