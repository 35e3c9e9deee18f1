import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonNotify

@Suite struct WebexNotifierTests {
    /// (receiver, notification number, recorded request). `webex-long` renders 14000 runes (25000 bytes):
    /// Alertmanager cuts it to 7439 bytes without splitting a character.
    static let recordedCases: [(String, Int, String)] = [
        ("webex-default", 0, "webex/default.0"),
        ("webex-default", 1, "webex/default.1"),
        ("webex-default", 2, "webex/default.2"),
        ("webex-long", 0, "webex/long.0"),
        ("webex-long", 1, "webex/long.1"),
        ("webex-long", 2, "webex/long.2"),
    ]

    @Test(arguments: recordedCases)
    func bodyIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        let config = try #require(try IntegrationRecordings.receiver(receiver).webexConfigs.first)
        let body = try WebexNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test")
        ).render(notification)
        #expect(firstDifference(body, try IntegrationRecordings.body(recorded + ".body")) == nil)
    }

    @Test(arguments: [("webex-default", "webex/default.0"), ("webex-long", "webex/long.0")])
    func requestCarriesTheConfiguredAuthorization(receiver: String, recordedRequest: String) async throws {
        try await withServerAndClient { server, client in
            var config = try #require(try IntegrationRecordings.receiver(receiver).webexConfigs.first)
            let recorded = try IntegrationRecordings.request(recordedRequest)
            config.apiURL = IntegrationRecordings.onServer(config.apiURL, server)
            let notifier = WebexNotifier(
                config: config, templates: try IntegrationRecordings.templates(), client: client,
                externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test"))
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            let request = try #require(server.requests.first)
            #expect(request.method == recorded.method)
            #expect(request.target == recorded.target)
            for name in ["Authorization", "Content-Type", "User-Agent"] {
                #expect(request.header(name) == recorded.headers[name], "\(name)")
            }
        }
    }

    @Test func cutMessageIsLoggedAtDebugLevel() throws {
        let handler = RecordingLogHandler()
        let config = try #require(try IntegrationRecordings.receiver("webex-long").webexConfigs.first)
        _ = try WebexNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test") { _ in handler }
        ).render(try IntegrationRecordings.notification(receiver: "webex-long", index: 0))
        // Fixtures/Integrations/truncation.log.
        #expect(handler.messages == ["message truncated due to exceeding maximum allowed length by webex"])
        #expect(handler.levels == [.debug])
    }

    static let answers: [(Int, AttemptOutcome)] = [
        (200, .delivered), (500, .retried), (503, .retried), (400, .failedForGood), (401, .failedForGood),
        (429, .failedForGood),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, expected: AttemptOutcome) async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(status: status) }
        try await withServerAndClient(handler: handler) { server, client in
            let notifier = WebexNotifier(
                config: try webexConfig(url: server.baseURL + "/v1/messages"), templates: try TemplateSet.defaults(),
                client: client, externalURL: "http://am", logger: Logger(label: "test"))
            let result = await notifier.notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if case .failed(_, _, let message) = result {
                #expect(message == "unexpected status code \(status)")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test(arguments: [
        ("{room_id: r}", "missing webex_configs.http_config.authorization"),
        ("{http_config: {authorization: {credentials: t}}}", "missing room_id on webex_config"),
    ])
    func incompleteConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, webex_configs: [\(entry)]}]
                """)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test func apiURLDefaultsToTheGlobalOne() throws {
        let receiver = try onlyReceiver(
            """
            global: {webex_api_url: 'http://webex.test/v1/messages'}
            route: {receiver: r}
            receivers: [{name: r, webex_configs: [{room_id: r, http_config: {authorization: {credentials: t}}}]}]
            """)
        #expect(receiver.webexConfigs.first?.apiURL?.string == "http://webex.test/v1/messages")
        #expect(receiver.webexConfigs.first?.sendResolved == true)
    }

    @Test(arguments: [
        ("abc", 3, "abc", false), ("abcd", 3, "…", true), ("abcd", 2, "..", true), ("aé€😀b", 10, "aé€…", true),
        ("aé€😀b", 8, "aé…", true), ("aé€😀b", 11, "aé€😀b", false),
    ])
    func truncationInBytesNeverSplitsACharacter(text: String, limit: Int, expected: String, truncated: Bool) {
        let result = text.truncatedInBytes(limit)
        #expect(result.text == expected)
        #expect(result.truncated == truncated)
        #expect(result.text.utf8.count <= limit)
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    private func webexConfig(url: String) throws -> WebexConfig {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers:
              - name: r
                webex_configs:
                  - {api_url: '\(url)', room_id: room, http_config: {authorization: {credentials: tok}}}
            """)
        return try #require(receiver.webexConfigs.first)
    }
}
