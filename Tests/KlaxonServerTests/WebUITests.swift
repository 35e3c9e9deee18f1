import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonCore
import Metrics
import NIOCore
import Testing

@testable import KlaxonServer

/// The web UI's routes: `/` answers as Alertmanager's UI root does, assets are embedded, and form posts go through
/// the API's silence rules (validation, tenant confinement) only from the UI's own origin.
@Suite struct WebUITests {
    static let origin = "http://klaxon.example:9093"

    /// The API and the UI without an access file, under `prefix`.
    static func withUI(
        _ backend: FakeBackend, prefix: String = "/",
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = Router(context: KlaxonRequestContext.self)
        let api = AlertmanagerAPI<FakeBackend, KlaxonRequestContext>(
            backend: backend, routePrefix: prefix, metricsFactory: NOOPMetricsHandler.instance, now: { fixedNow })
        router.add(middleware: api)
        router.add(middleware: WebUI(api: api, routePrefix: prefix, tenantLabel: "tenant_id", externalURL: origin))
        try await Application(router: router).test(.router) { client in try await body(client) }
    }

    @Test func theRootAnswers200WithTheOverviewAsAlertmanagersUIDoes() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await Self.withUI(backend) { client in
            let root = try await client.get("/")
            #expect(root.status == .ok)
            #expect(root.headers[.contentType] == "text/html; charset=utf-8")
            #expect(root.text.contains("<h1>Overview</h1>"))
            #expect(root.text.contains(#"data-tenant="finance""#))
            let head = try await client.execute(uri: "/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            let script = try await client.get("/ui/assets/klaxon.js")
            #expect(script.status == .ok)
            #expect(script.text.contains("#/"))
            #expect(try await client.get("/ui/nothing").status == .notFound)
            // API paths are unchanged.
            #expect(try await client.get("/api/v2/status").status == .ok)
        }
        try await Self.withUI(backend, prefix: "/am") { client in
            let root = try await client.get("/am/")
            #expect(root.status == .ok)
            let alerts = try await client.get("/am/ui/alerts")
            #expect(alerts.text.contains("/am/ui/assets/klaxon.css"))
        }
    }

    static func form(_ fields: [(String, String)], origin: String?, who: TenantIsolationTests.Who = .financeAdmin)
        -> HTTPFields
    {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let authorization = who.authorization { headers[.authorization] = authorization }
        if let origin { headers[.origin] = origin }
        return headers
    }

    static func body(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._")
        let encoded = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return ByteBuffer(string: encoded.joined(separator: "&"))
    }

    @Test func aTenantAdminsSilenceFormIsHeldToItsTenantsByTheServer() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            func post(_ matchers: String, origin: String? = Self.origin) async throws -> TestResponse {
                let fields = [
                    ("matchers", matchers), ("duration", "2h"), ("createdBy", "fin"), ("comment", "deploy"),
                    ("action", "create"),
                ]
                return try await client.execute(
                    uri: "/ui/silences", method: .post, headers: Self.form(fields, origin: origin),
                    body: Self.body(fields))
            }
            let before = await backend.silences(now: fixedNow).count
            let other = try await post(#"{tenant_id="hr", alertname="HRSecretOutage"}"#)
            #expect(other.status == .forbidden)
            #expect(other.text.contains("not confined to your tenants"))
            #expect(!other.text.contains("HRSecretOutage</b>"))
            let unconfined = try await post(#"{alertname="FinanceDown"}"#)
            #expect(unconfined.status == .forbidden)
            let empty = try await post("{}")
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains("at least one matcher"))
            #expect(await backend.silences(now: fixedNow).count == before)

            let own = try await post(#"{tenant_id="finance", alertname="FinanceDown"}"#)
            #expect(own.status == .seeOther)
            let location = own.headers[.location] ?? ""
            #expect(location.hasPrefix("/ui/silences?created="))
            #expect(await backend.silences(now: fixedNow).count == before + 1)
            #expect(await backend.auditTrail.last?.kind == .silenceCreated)
            #expect(await backend.auditTrail.last?.principal == "finance-admin")
        }
    }

    @Test func formsPostedFromAnotherOriginAreRefused() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            let fields = [("matchers", #"{tenant_id="finance"}"#), ("duration", "1h"), ("createdBy", "x")]
            for origin in [nil, "http://evil.example", "null"] {
                let response = try await client.execute(
                    uri: "/ui/silences", method: .post, headers: Self.form(fields, origin: origin),
                    body: Self.body(fields))
                #expect(response.status == .forbidden, "\(origin ?? "no origin")")
            }
            var crossSite = Self.form(fields, origin: Self.origin)
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let refused = try await client.execute(
                uri: "/ui/silences", method: .post, headers: crossSite, body: Self.body(fields))
            #expect(refused.status == .forbidden)
            let expire = try await client.execute(
                uri: "/ui/silences/\(TenantIsolationTests.financeSilence)/expire", method: .post,
                headers: Self.form([], origin: "http://evil.example"))
            #expect(expire.status == .forbidden)
            #expect(await backend.silences(now: fixedNow).allSatisfy { $0.state == .active })
        }
    }

    @Test func aSenderCannotReadAlertsThroughTheEditorsPreviewButton() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            let fields = [("matchers", #"{tenant_id="finance"}"#), ("action", "preview")]
            let response = try await client.execute(
                uri: "/ui/silences", method: .post,
                headers: Self.form(fields, origin: Self.origin, who: .financeSender),
                body: Self.body(fields))
            #expect(response.status == .forbidden)
            #expect(!response.text.contains("FinanceDown"))
        }
    }

    @Test func aTenantAdminCanExpireOnlyItsOwnSilences() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            func expire(_ id: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/ui/silences/\(id)/expire", method: .post, headers: Self.form([], origin: Self.origin))
            }
            #expect(try await expire(TenantIsolationTests.hrSilence).status == .notFound)
            #expect(await backend.silence(id: TenantIsolationTests.hrSilence, now: fixedNow)?.state == .active)
            let own = try await expire(TenantIsolationTests.financeSilence)
            #expect(own.status == .seeOther)
            #expect(
                await backend.silence(id: TenantIsolationTests.financeSilence, now: fixedNow + 1)?.state == .expired)
        }
    }

    @Test func theAlertListLinksEachAlertToItsDetailPage() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await Self.withUI(backend) { client in
            let list = try await client.get("/ui/alerts?group=alertname")
            let page = TenantIsolationTests.alertPage(TenantIsolationTests.financeLabels)
            #expect(list.text.contains(#"<a class="alertname" href="\#(page)">FinanceDown</a>"#))
            #expect(list.text.contains("alertname=&quot;FinanceDown&quot;"))
        }
    }

    @Test func theAlertDetailShowsLabelsWhyItIsSilencedItsRoutesNotificationsAndTimeline() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await Self.withUI(backend) { client in
            let page = try await client.get(TenantIsolationTests.alertPage(TenantIsolationTests.financeLabels))
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<span class="alertname">FinanceDown</span>"#))
            #expect(html.contains(#"id="alert-state">silenced<"#))
            #expect(html.contains(#"tenant_id="finance"</a>"#))
            #expect(
                html.contains(
                    #"href="/ui/silences?id=\#(TenantIsolationTests.financeSilence)">\#(TenantIsolationTests.financeSilence)"#
                ))
            #expect(html.contains("finance deploy"))
            #expect(html.contains(#"<tr data-receiver="finance-pager">"#))
            #expect(
                html.contains(
                    "/ui/groups?key=%7B%7D%2F%7Btenant_id%3D%22finance%22%7D%3A%7B%7D&amp;receiver=finance-pager"))
            // The timeline: its two firing events and the notification, in the order they happened.
            let kinds = html.components(separatedBy: #"data-kind=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(kinds == ["firing", "firing", "notification"])
            #expect(html.contains("notification sent"))
            #expect(html.contains("finance-pager webhook[0]"))
            #expect(html.contains("1 alert · ok · 84 ms"))
        }
    }

    @Test func anAlertOnlyTheTimelineStillKnowsIsShownFromItAndAnUnknownOneIsNotFound() async throws {
        let backend = try await TenantIsolationTests.backend()
        let gone = LabelSet(["alertname": "GoneAway", "tenant_id": "finance"])
        await backend.setHistory([
            HistoryEvent(sequence: 1, time: fixedNow, kind: .firing, labels: gone, fingerprints: [gone.fingerprint]),
            HistoryEvent(
                sequence: 2, time: fixedNow + 60, kind: .resolved, labels: gone, fingerprints: [gone.fingerprint]),
        ])
        try await Self.withUI(backend) { client in
            let page = try await client.get(TenantIsolationTests.alertPage(gone))
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="alert-state">gone<"#))
            #expect(page.text.contains("no longer held"))
            #expect(page.text.contains(#"data-kind="resolved""#))
            #expect(try await client.get("/ui/alerts/0123456789abcdef").status == .notFound)
            #expect(try await client.get("/ui/alerts/nope").status == .notFound)
        }
    }

    @Test func withoutAGroupingLabelTheAlertListShowsTheRoutesGroupsLinkedToTheirPages() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await Self.withUI(backend) { client in
            let list = try await client.get("/ui/alerts")
            #expect(list.text.contains(#"<span class="receiver">hr-pager</span>"#))
            #expect(list.text.contains(#"{tenant_id=&quot;hr&quot;}</a>"#))
            #expect(list.text.contains("&amp;receiver=default"))
            // Three alerts, the hr alert in two groups.
            #expect(list.text.contains(#"<p class="summary" id="count">3 alerts</p>"#))
            #expect(list.text.components(separatedBy: #"<li class="alert"#).count - 1 == 4)
            let onlyHR = try await client.get("/ui/alerts?receiver=hr-pager")
            #expect(onlyHR.text.contains(#"id="count">1 alerts"#))

            let group = try await client.get(
                TenantIsolationTests.groupPage("hr-pager", TenantIsolationTests.hrGroupKey))
            #expect(group.status == .ok)
            #expect(group.text.contains(#"<span class="receiver">hr-pager</span>"#))
            #expect(group.text.contains("HRSecretOutage"))
            #expect(group.text.contains(#"data-kind="firing""#))
            // The group labels in `filter` narrow the alerts looked at; the key still decides.
            let narrowed = try await client.get(
                TenantIsolationTests.groupPage("hr-pager", TenantIsolationTests.hrGroupKey)
                    + "&filter=%7Btenant_id%3D%22hr%22%7D")
            #expect(narrowed.status == .ok)
            let wrongReceiver = try await client.get(
                TenantIsolationTests.groupPage("default", TenantIsolationTests.hrGroupKey))
            #expect(wrongReceiver.status == .notFound)
        }
    }

    @Test func theStatusPageShowsTheLastReloadsResult() async throws {
        let backend = try await TenantIsolationTests.backend()
        await backend.setLastReload(
            ConfigReloadResult(
                time: fixedNow, succeeded: false, error: "undefined receiver \"hr-secret-pager\" used in route",
                appliedAt: fixedNow - 600))
        try await Self.withUI(backend) { client in
            let status = try await client.get("/ui/status")
            #expect(status.text.contains(#"class="reload-failed""#))
            #expect(status.text.contains("undefined receiver &quot;hr-secret-pager&quot;"))
        }
        // A tenant principal learns that it failed, not the message (it can quote any tenant's part of the file).
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            let status = try await client.execute(
                uri: "/ui/status", method: .get,
                headers: [.authorization: TenantIsolationTests.Who.financeViewer.authorization ?? ""])
            #expect(status.text.contains(#"class="reload-failed""#))
            #expect(!status.text.contains("hr-secret-pager"))
        }
    }

    @Test func theEditorPrefillsATenantAdminsTenantMatcher() async throws {
        let backend = try await TenantIsolationTests.backend()
        try await TenantIsolationTests.withTenantAPI(backend) { client in
            let response = try await client.execute(
                uri: "/ui/silences/new?filter=%7Balertname%3D%22FinanceDown%22%7D", method: .get,
                headers: [.authorization: TenantIsolationTests.Who.financeAdmin.authorization ?? ""])
            #expect(response.text.contains("{alertname=&quot;FinanceDown&quot;,tenant_id=&quot;finance&quot;}"))
            #expect(response.text.contains("would match 1 alerts"))
        }
    }
}
