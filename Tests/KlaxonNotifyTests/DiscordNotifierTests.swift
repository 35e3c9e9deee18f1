import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Testing

@testable import KlaxonNotify

@Suite struct DiscordNotifierTests {
    /// (receiver, notification number, recorded request).
    static let recordedCases: [(String, Int, String)] = [
        ("discord-default", 0, "discord/default.0"),
        ("discord-default", 1, "discord/default.1"),
        ("discord-default", 2, "discord/default.2"),
        ("discord-custom", 0, "discord/custom.0"),
        ("discord-custom", 1, "discord/custom.1"),
        ("discord-custom", 2, "discord/custom.2"),
    ]

    @Test(arguments: recordedCases)
    func bodyIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        let config = try #require(try IntegrationRecordings.receiver(receiver).discordConfigs.first)
        let body = try DiscordNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL
        ).render(notification)
        #expect(firstDifference(body, try IntegrationRecordings.body(recorded + ".body")) == nil)
    }

    @Test func requestGoesToTheWebhookAsJSON() async throws {
        try await withServerAndClient(handler: { _ in TestHTTPServer.Reply(status: 204) }) { server, client in
            let notifier = try discord(url: server.baseURL + "/api/webhooks/1/tok", client: client)
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            let recorded = try IntegrationRecordings.request("discord/default.0")
            let request = try #require(server.requests.first)
            #expect(request.method == recorded.method)
            #expect(request.target == "/api/webhooks/1/tok")
            #expect(request.header("Content-Type") == recorded.headers["Content-Type"])
            #expect(request.header("User-Agent") == recorded.headers["User-Agent"])
        }
    }

    /// Alertmanager's plain `Retrier`: 5xx is retried, every other non-2xx is final.
    static let answers: [(Int, AttemptOutcome)] = [
        (200, .delivered), (204, .delivered), (500, .retried), (502, .retried), (503, .retried),
        (400, .failedForGood), (401, .failedForGood), (404, .failedForGood), (429, .failedForGood),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, expected: AttemptOutcome) async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(status: status, body: Array("nope".utf8)) }
        try await withServerAndClient(handler: handler) { server, client in
            let result = try await discord(url: server.baseURL + "/api/webhooks/1/SECRETTOKEN", client: client)
                .notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if case .failed(_, _, let message) = result {
                #expect(message == "unexpected status code \(status): nope")
                #expect(!message.contains("SECRETTOKEN"))
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func unreachableWebhookIsRetried() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let port = try freePort()
        let result = try await discord(url: "http://127.0.0.1:\(port)/x", client: client).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == .retried)
    }

    @Test func missingWebhookURLIsAConfigError() throws {
        #expect(throws: ConfigError.self) {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, discord_configs: [{title: x}]}]
                """)
        }
    }

    @Test func defaultsAreAlertmanagers() throws {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers: [{name: r, discord_configs: [{webhook_url: 'https://discord.test/api/webhooks/1/t'}]}]
            """)
        let config = try #require(receiver.discordConfigs.first)
        #expect(config.sendResolved)
        #expect(config.title == #"{{ template "discord.default.title" . }}"#)
        #expect(config.message == #"{{ template "discord.default.message" . }}"#)
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    private func discord(url: String, client: HTTPClient) throws -> DiscordNotifier {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers: [{name: r, discord_configs: [{webhook_url: '\(url)'}]}]
            """)
        return DiscordNotifier(
            config: try #require(receiver.discordConfigs.first), templates: try TemplateSet.defaults(),
            client: client, externalURL: "http://am")
    }
}
