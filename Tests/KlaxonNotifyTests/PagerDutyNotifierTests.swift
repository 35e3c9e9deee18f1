import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Testing

@testable import KlaxonNotify

@Suite struct PagerDutyNotifierTests {
    /// (receiver, webhook body of the notification, PagerDuty body Alertmanager 0.25 sent for it).
    static let recordedCases: [(String, String, String)] = [
        ("pd-default", "hook_pd-default.0.body", "pd_default.0.body"),
        ("pd-default", "hook_pd-default.1.body", "pd_default.1.body"),
        ("pd-full", "hook_pd-full.0.body", "pd_full.0.body"),
        ("pd-full", "hook_pd-full.1.body", "pd_full.1.body"),
        ("pd-v1", "hook_pd-v1.0.body", "pd_v1.0.body"),
        ("pd-v1", "hook_pd-v1.1.body", "pd_v1.1.body"),
    ]

    @Test(arguments: recordedCases)
    func bodyIsByteIdenticalToAlertmanagers(receiver: String, hook: String, expectedFile: String) throws {
        let notification = try RecordedNotifications.notification(hook: hook, receiver: receiver)
        let body = try notifier(receiver: receiver).render(notification).encoded()
        let expected = try RecordedNotifications.recorded(expectedFile)
        #expect(firstDifference(body, expected) == nil)
    }

    @Test(arguments: [(false, "pd_big.0.body"), (true, "pd_big.1.body")])
    func oversizedEventLosesItsDetails(resolved: Bool, expectedFile: String) throws {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let alert = Alert(
            labels: ["alertname": "PDBig", "kind": "pdbig"],
            annotations: ["huge": String(repeating: "x", count: 600_000)],
            startsAt: t, endsAt: resolved ? t + 1 : .zero, updatedAt: t)
        let notification = GroupNotification(
            receiver: "pd-big", groupKey: #"{}/{kind="pdbig"}:{alertname="PDBig"}"#,
            groupLabels: ["alertname": "PDBig"], alerts: [alert], now: t + 2)
        let body = try notifier(receiver: "pd-big").render(notification).encoded()
        let expected = try RecordedNotifications.recorded(expectedFile)
        #expect(firstDifference(body, expected) == nil)
    }

    @Test func eventJustUnderTheLimitKeepsItsDetails() throws {
        let base = PagerDutyMessage(
            api: .v2, key: "k", dedupKey: "d", eventAction: "trigger", summary: "s", details: ["firing": ""],
            client: "", clientURL: "")
        let overhead = base.encoded().count
        var fits = base
        fits.details["firing"] = String(repeating: "y", count: PagerDutyMessage.maxEventBytes - overhead)
        #expect(fits.encoded().count == PagerDutyMessage.maxEventBytes)
        var over = fits
        over.details["firing"] = String(repeating: "y", count: PagerDutyMessage.maxEventBytes - overhead + 1)
        #expect(String(decoding: over.encoded(), as: UTF8.self).contains(PagerDutyMessage.detailsRemovedMessage))
    }

    @Test func dedupKeyIsTheSHA256OfTheGroupKey() throws {
        // From the behaviour reference, observed on Alertmanager 0.25.
        var notification = sampleNotification()
        notification.groupKey = #"{}/{team="pd"}:{alertname="PDTest"}"#
        let message = try notifier(try pagerDutyConfig("routing_key: k")).render(notification)
        #expect(message.dedupKey == "45f865dba0ffbc01c954a73d7eb040a946fb0cf979d58c8badf3a3aeb390fd57")
    }

    @Test func sourceFollowsAConfiguredClient() throws {
        let config = try pagerDutyConfig(#"routing_key: k"#, #"client: 'my {{ .Status }}'"#)
        let message = try notifier(config).render(sampleNotification())
        #expect(message.client == "my firing")
        #expect(message.source == "my firing")
        #expect(message.severity == "error")
    }

    @Test func emptyRoutingKeyAfterTemplatingFailsWithoutRetryOrRequest() async throws {
        try await withServerAndClient { server, client in
            let config = try pagerDutyConfig(
                "url: '\(server.baseURL)/enqueue'", #"routing_key: '{{ if false }}x{{ end }}'"#)
            let result = await PagerDutyNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am"
            ).notify(sampleNotification())
            guard case .failed(let retry, _, let message) = result else {
                Issue.record("expected a failure")
                return
            }
            #expect(!retry)
            #expect(message == "routing key cannot be empty")
            #expect(server.requests.isEmpty)
        }
    }

    @Test func detailTemplateErrorNamesTheDetail() throws {
        let config = try pagerDutyConfig("routing_key: k", "details: {broken: '{{ template \"nope\" . }}'}")
        #expect {
            _ = try notifier(config).render(sampleNotification())
        } throws: { error in
            (error as? NotificationBuildError)?.description.contains("details.broken") == true
        }
    }

    /// (API v2?, status, delivered, retry).
    static let answers: [(Bool, Int, Bool, Bool)] = [
        (true, 202, true, false),
        (true, 200, true, false),
        (true, 429, false, true),
        (true, 500, false, true),
        (true, 502, false, true),
        (true, 400, false, false),
        (true, 403, false, false),
        (false, 200, true, false),
        (false, 403, false, true),
        (false, 429, false, false),
        (false, 500, false, true),
    ]

    @Test(arguments: answers)
    func answersAreClassifiedLikeAlertmanager(v2: Bool, status: Int, delivered: Bool, retry: Bool) async throws {
        let handler: TestHTTPServer.Handler = { _ in
            TestHTTPServer.Reply(status: status, body: Array(#"{"status":"invalid event","message":"x"}"#.utf8))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let key = v2 ? "routing_key: SECRETKEY" : "service_key: SECRETKEY"
            let config = try pagerDutyConfig("url: '\(server.baseURL)/enqueue'", key)
            let notifier = PagerDutyNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am")
            let result = await notifier.notify(sampleNotification())
            switch result {
            case .delivered:
                #expect(delivered)
            case .failed(let gotRetry, _, let message):
                #expect(!delivered)
                #expect(gotRetry == retry)
                #expect(!message.contains("SECRETKEY"))
                #expect(!message.contains("127.0.0.1"))
            }
            let requests = server.requests
            #expect(requests.count == 1)
            #expect(requests.first?.target == "/enqueue")
            #expect(requests.first?.header("Content-Type") == "application/json")
            let body = try #require(requests.first?.body)
            #expect(body == (try notifier.render(sampleNotification()).encoded()))
        }
    }

    @Test func notifierReportsItsNameAndSendResolved() throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let notifier = PagerDutyNotifier(
            config: try pagerDutyConfig("routing_key: k"), templates: TemplateSet(), client: client, externalURL: "")
        #expect(notifier.integrationName == "pagerduty")
        #expect(notifier.sendResolved == true)
    }

    // MARK: - Helpers

    func notifier(receiver: String) throws -> PagerDutyNotifier {
        try notifier(try #require(try RecordedNotifications.receiver(receiver).pagerdutyConfigs.first))
    }

    func notifier(_ config: PagerDutyConfig) throws -> PagerDutyNotifier {
        // `render` does not use the client.
        PagerDutyNotifier(
            config: config, templates: try RecordedNotifications.templates(), client: Self.idleClient,
            externalURL: RecordedNotifications.externalURL)
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    func pagerDutyConfig(_ lines: String...) throws -> PagerDutyConfig {
        let body = lines.map { "          " + $0 }.joined(separator: "\n")
        let yaml = """
            route: {receiver: r}
            receivers:
              - name: r
                pagerduty_configs:
                  -
            \(body)
            """
        return try #require(try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first?.pagerdutyConfigs.first)
    }

    func sampleNotification() -> GroupNotification {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let alert = Alert(labels: ["alertname": "A", "severity": "page"], startsAt: t, updatedAt: t)
        return GroupNotification(
            receiver: "r", groupKey: #"{}:{alertname="A"}"#, groupLabels: ["alertname": "A"], alerts: [alert],
            now: t)
    }
}
