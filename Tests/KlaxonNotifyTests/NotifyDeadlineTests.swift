import Foundation
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// An endpoint that accepts the connection and never answers must not hold a group's flush forever: every
/// integration gives up at the notification's deadline (Alertmanager's notify context deadline).
@Suite struct NotifyDeadline {
    private func webhook(url: String, client: HTTPClient) throws -> WebhookNotifier {
        let yaml = """
            route: {receiver: r}
            receivers:
              - name: r
                webhook_configs:
                  - url: '\(url)'
            """
        let config = try #require(
            try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first?.webhookConfigs.first)
        return WebhookNotifier(config: config, client: client, externalURL: "http://am")
    }

    private func notification(deadline: Date?) -> GroupNotification {
        let t = Date()
        let alert = Alert(labels: ["alertname": "A"], startsAt: t, updatedAt: t)
        return GroupNotification(
            receiver: "r", groupKey: #"{}:{alertname="A"}"#, groupLabels: ["alertname": "A"], alerts: [alert],
            now: t, deadline: deadline)
    }

    @Test func webhookThatNeverAnswersFailsAtTheDeadlineAsRetryable() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(delay: .seconds(60)) }
        try await withServerAndClient(handler: handler) { server, client in
            let notifier = try webhook(url: server.baseURL + "/hook", client: client)
            let result = await notifier.notify(notification(deadline: Date().addingTimeInterval(0.5)))
            guard case .failed(let retry, let reason, let message) = result else {
                Issue.record("a notification to a hung endpoint was reported delivered")
                return
            }
            #expect(reason == .contextDeadlineExceeded)
            #expect(retry, "the engine's retry loop decides; it stops because the deadline has passed")
            #expect(!message.contains("127.0.0.1"))
            // Without the deadline the reply would come after 60 s and count as delivered (the guard above fails then).
            // That the deadline, not something later, ended it the server sees itself: the client hung up while the
            // server waited to answer. No wall-clock bound: with the whole suite running beside blocking process
            // tests, a two-core runner's cooperative pool was seen busy for 31 s before a task like this resumed.
            #expect(await server.waitUntil { $0.abortedCount == 1 }, "the notifier did not hang up at its deadline")
            #expect(server.requests.count == 1)
        }
    }

    /// Email and SNS against a server that accepts and never answers: retried, with the reason a deadline.
    @Test(arguments: ["email", "sns"])
    func emailAndSNSThatNeverAnswerFailAtTheDeadlineAsRetryable(integration: String) async throws {
        let silent = try SilentServer()
        let client = HTTPClient()
        defer { client.shutdown() }
        let notifier: any Notifier
        if integration == "email" {
            var config = EmailConfig()
            config.to = "ops@example.test"
            config.from = "am@example.test"
            config.smarthost = "127.0.0.1:\(silent.port)"
            config.requireTLS = false
            config.html = ""
            config.text = "x"
            notifier = EmailNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am",
                logger: Logger(label: "test"))
        } else {
            var config = SNSConfig()
            config.apiURL = "http://127.0.0.1:\(silent.port)"
            config.topicARN = "arn:aws:sns:us-east-1:1:t"
            config.sigv4.region = "us-east-1"
            config.sigv4.accessKey = "AKIDEXAMPLE"
            config.sigv4.secretKey = Secret("not-a-secret")
            notifier = SNSNotifier(
                config: config, templates: try TemplateSet.defaults(), client: client, externalURL: "http://am",
                logger: Logger(label: "test"), environment: [:])
        }
        let result = await notifier.notify(notification(deadline: Date().addingTimeInterval(0.5)))
        guard case .failed(let retry, let reason, let message) = result else {
            Issue.record("a notification to a silent server was reported delivered")
            return
        }
        #expect(retry)
        #expect(reason == .contextDeadlineExceeded, "\(message)")
    }

    @Test func passedDeadlineSendsNothing() async throws {
        try await withServerAndClient { server, client in
            let notifier = try webhook(url: server.baseURL + "/hook", client: client)
            let result = await notifier.notify(notification(deadline: Date().addingTimeInterval(-1)))
            guard case .failed(let retry, let reason, _) = result else {
                Issue.record("expected a failure")
                return
            }
            #expect(reason == .contextDeadlineExceeded)
            #expect(!retry)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func answerBeforeTheDeadlineIsDelivered() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(delay: .milliseconds(100)) }
        try await withServerAndClient(handler: handler) { server, client in
            let notifier = try webhook(url: server.baseURL + "/hook", client: client)
            let result = await notifier.notify(notification(deadline: Date().addingTimeInterval(10)))
            guard case .delivered = result else {
                Issue.record("expected delivery, got \(result)")
                return
            }
        }
    }
}
