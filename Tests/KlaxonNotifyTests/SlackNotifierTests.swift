import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Testing

@testable import KlaxonNotify

@Suite struct SlackNotifierTests {
    /// (receiver, webhook body of the notification, Slack body Alertmanager 0.25 sent for it).
    static let recordedCases: [(String, String, String)] = [
        ("slack-default", "hook_slack-default.0.body", "slack_default.0.body"),
        ("slack-default", "hook_slack-default.1.body", "slack_default.1.body"),
        ("slack-default", "hook_slack-default.2.body", "slack_default.2.body"),
        ("slack.full+team", "hook_slack-full.0.body", "slack_full.0.body"),
        ("slack.full+team", "hook_slack-full.1.body", "slack_full.1.body"),
    ]

    @Test(arguments: recordedCases)
    func bodyIsByteIdenticalToAlertmanagers(receiver: String, hook: String, expectedFile: String) throws {
        let config = try #require(try RecordedNotifications.receiver(receiver).slackConfigs.first)
        let notification = try RecordedNotifications.notification(hook: hook, receiver: receiver)
        let templater = NotificationTemplater(
            templates: try RecordedNotifications.templates(), notification: notification,
            externalURL: RecordedNotifications.externalURL)
        let body = try SlackMessage(config: config, templater: templater).encoded()
        let expected = try RecordedNotifications.recorded(expectedFile)
        #expect(firstDifference(body, expected) == nil)
    }

    /// The harness golden `slack_templates` (Alertmanager 0.25, default config): the first notification.
    @Test func defaultConfigMatchesTheHarnessGolden() throws {
        let yaml = """
            route: {receiver: slack-default}
            receivers:
              - name: slack-default
                slack_configs:
                  - api_url: 'http://127.0.0.1:1/slack/default'
                    channel: '#alerts'
            """
        let config = try #require(try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first?.slackConfigs.first)
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let alerts = ["pay-1", "pay-2"].map {
            Alert(
                labels: ["alertname": "PaymentsErrors", "service": "payments", "severity": "critical", "instance": $0],
                startsAt: t, endsAt: t + 300, updatedAt: t)
        }
        let notification = GroupNotification(
            receiver: "slack-default", groupKey: #"{}:{alertname="PaymentsErrors", service="payments"}"#,
            groupLabels: ["alertname": "PaymentsErrors", "service": "payments"], alerts: alerts, now: t + 1)
        let templater = NotificationTemplater(
            templates: try TemplateSet.defaults(), notification: notification,
            externalURL: "http://alertmanager.test:9093")
        let body = String(decoding: try SlackMessage(config: config, templater: templater).encoded(), as: UTF8.self)
        let subject = "[FIRING:2] PaymentsErrors payments (critical)"
        let link = "http://alertmanager.test:9093/#/alerts?receiver=slack-default"
        let expected = """
            {"channel":"#alerts","username":"Alertmanager","attachments":[{"title":"\(subject)",\
            "title_link":"\(link)","text":"","fallback":"\(subject) | \(link)","callback_id":"",\
            "footer":"","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}

            """
        #expect(body == expected)
    }

    @Test func fieldShortFallsBackToShortFields() throws {
        let yaml = """
            route: {receiver: r}
            receivers:
              - name: r
                slack_configs:
                  - api_url: 'http://127.0.0.1:1/'
                    short_fields: true
                    fields:
                      - {title: a, value: '{{ .Status }}'}
                      - {title: b, value: c, short: false}
            """
        let config = try #require(try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first?.slackConfigs.first)
        let message = try SlackMessage(config: config, templater: try templater())
        #expect(message.fields.map(\.short) == [true, false])
        #expect(message.fields.map(\.value) == ["firing", "c"])
    }

    @Test func templateErrorFailsWithoutRetryAndNamesTheField() async throws {
        let config = try slackConfig(extra: #"title: '{{ template "missing" . }}'"#, url: "http://127.0.0.1:1/")
        let client = HTTPClient()
        defer { client.shutdown() }
        let notifier = SlackNotifier(
            config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am")
        guard case .failed(let retry, _, let message) = await notifier.notify(sampleNotification()) else {
            Issue.record("expected a failure")
            return
        }
        #expect(!retry)
        #expect(message.contains("title"))
    }

    /// (status, content type, body, delivered, retry).
    static let answers: [(Int, String, String, Bool, Bool)] = [
        (200, "text/plain", "ok", true, false),
        (200, "application/json; charset=utf-8", #"{"ok":true}"#, true, false),
        (200, "application/json", #"{"ok":false,"error":"invalid_payload"}"#, false, false),
        (200, "text/html", "no_text", false, false),
        (200, "application/json", "<html>", false, true),
        (500, "text/plain", "oops", false, true),
        (503, "text/plain", "", false, true),
        (404, "text/plain", "no_service", false, false),
        (429, "text/plain", "slow down", false, false),
    ]

    @Test(arguments: answers)
    func answersAreClassifiedLikeAlertmanager(
        status: Int, contentType: String, body: String, delivered: Bool, retry: Bool
    ) async throws {
        let handler: TestHTTPServer.Handler = { _ in
            TestHTTPServer.Reply(
                status: status, headers: [HTTPHeader("Content-Type", contentType)], body: Array(body.utf8))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let config = try slackConfig(url: server.baseURL + "/services/T000/B000/SECRETTOKEN")
            let notifier = SlackNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am")
            let result = await notifier.notify(sampleNotification())
            switch result {
            case .delivered:
                #expect(delivered)
            case .failed(let gotRetry, let reason, let message):
                #expect(!delivered)
                #expect(gotRetry == retry)
                #expect(reason == (status >= 500 ? .serverError : .clientError))
                #expect(!message.contains("SECRETTOKEN"))
                #expect(!message.contains("127.0.0.1"))
                #expect(message.contains(##"channel "#c""##))
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func postsTheBodyAsJSONToTheURLReadFromTheFileAtSendTime() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(body: Array("ok".utf8)) }
        try await withServerAndClient(handler: handler) { server, client in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("slack-url-\(UUID())")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data((server.baseURL + "/first\n").utf8).write(to: file)
            var config = try slackConfig(url: "http://127.0.0.1:1/unused")
            config.apiURL = nil
            config.apiURLFile = file.path
            let notifier = SlackNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am")
            let notification = sampleNotification()
            guard case .delivered = await notifier.notify(notification) else {
                Issue.record("expected delivery")
                return
            }
            try Data((server.baseURL + "/second").utf8).write(to: file)
            _ = await notifier.notify(notification)
            let requests = server.requests
            #expect(requests.map(\.target) == ["/first", "/second"])
            let templater = NotificationTemplater(
                templates: try TemplateSet.defaults(), notification: notification, externalURL: "http://am")
            #expect(requests.first?.body == (try SlackMessage(config: config, templater: templater).encoded()))
            #expect(requests.first?.method == "POST")
            #expect(requests.first?.header("Content-Type") == "application/json")
            #expect(requests.first?.header("User-Agent") == "Alertmanager/0.25.0")
        }
    }

    @Test func missingURLFileFailsWithoutRetry() async throws {
        var config = try slackConfig(url: "http://127.0.0.1:1/unused")
        config.apiURL = nil
        config.apiURLFile = "/nonexistent/slack-url"
        let client = HTTPClient()
        defer { client.shutdown() }
        let notifier = SlackNotifier(
            config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am")
        guard case .failed(let retry, _, _) = await notifier.notify(sampleNotification()) else {
            Issue.record("expected a failure")
            return
        }
        #expect(!retry)
    }

    @Test func notifierReportsItsNameAndSendResolved() throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let notifier = SlackNotifier(
            config: try slackConfig(url: "http://127.0.0.1:1/"), templates: TemplateSet(), client: client,
            externalURL: "")
        #expect(notifier.integrationName == "slack")
        #expect(notifier.sendResolved == false)
    }

    // MARK: - Helpers

    func slackConfig(extra: String = "", url: String) throws -> SlackConfig {
        let yaml = """
            route: {receiver: r}
            receivers:
              - name: r
                slack_configs:
                  - api_url: '\(url)'
                    channel: '#c'
                    \(extra)
            """
        return try #require(try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first?.slackConfigs.first)
    }

    func sampleNotification() -> GroupNotification {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let alert = Alert(labels: ["alertname": "A", "severity": "page"], startsAt: t, updatedAt: t)
        return GroupNotification(
            receiver: "r", groupKey: #"{}:{alertname="A"}"#, groupLabels: ["alertname": "A"], alerts: [alert],
            now: t)
    }

    func templater() throws -> NotificationTemplater {
        NotificationTemplater(
            templates: try TemplateSet.defaults(), notification: sampleNotification(), externalURL: "")
    }
}
