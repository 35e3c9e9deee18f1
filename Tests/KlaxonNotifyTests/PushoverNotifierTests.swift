import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonNotify

@Suite struct PushoverNotifierTests {
    /// (receiver, notification number, recorded request). `pushover-custom` renders a title, message and URL over
    /// Pushover's limits, with characters of every UTF-8 width, and spaces around the message. `pushover-html`
    /// (`html: true`) renders its message as html/template: data escaped, `href` normalised, comment dropped.
    static let recordedCases: [(String, Int, String)] = [
        ("pushover-default", 0, "pushover/po-default.0"),
        ("pushover-default", 1, "pushover/po-default.1"),
        ("pushover-default", 2, "pushover/po-default.2"),
        ("pushover-custom", 0, "pushover/po-custom.0"),
        ("pushover-custom", 1, "pushover/po-custom.1"),
        ("pushover-custom", 2, "pushover/po-custom.2"),
        ("pushover-html", 0, "pushover/po-html.0"),
        ("pushover-html", 1, "pushover/po-html.1"),
        ("pushover-html", 2, "pushover/po-html.2"),
    ]

    @Test(arguments: recordedCases)
    func queryIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        let config = try #require(try IntegrationRecordings.receiver(receiver).pushoverConfigs.first)
        let query = try notifier(config, client: Self.idleClient, apiURL: "").render(notification)
        let expected = try IntegrationRecordings.request(recorded).target
        #expect(firstDifference(Array(("/1/messages.json?" + query).utf8), Array(expected.utf8)) == nil)
    }

    @Test func requestIsAnEmptyTextPostWithTheFormInTheQuery() async throws {
        try await withServerAndClient { server, client in
            let config = try #require(try IntegrationRecordings.receiver("pushover-default").pushoverConfigs.first)
            let notifier = notifier(config, client: client, apiURL: server.baseURL + "/1/messages.json")
            let notification = try IntegrationRecordings.notification(receiver: "pushover-default", index: 0)
            #expect(AttemptOutcome(await notifier.notify(notification)) == .delivered)
            let recorded = try IntegrationRecordings.request("pushover/po-default.0")
            let request = try #require(server.requests.first)
            #expect(request.method == recorded.method)
            #expect(request.target == recorded.target)
            #expect(request.body.isEmpty)
            for name in ["Content-Type", "Content-Length", "User-Agent"] {
                #expect(request.header(name) == recorded.headers[name], "\(name)")
            }
        }
    }

    @Test func truncationsAreLoggedAsAlertmanagerLogsThem() throws {
        let handler = RecordingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let config = try #require(try IntegrationRecordings.receiver("pushover-custom").pushoverConfigs.first)
        let notification = try IntegrationRecordings.notification(receiver: "pushover-custom", index: 0)
        _ = try PushoverNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: logger, apiURL: ""
        ).render(notification)
        // Fixtures/Integrations/truncation.log: Alertmanager warns once per cut field.
        #expect(handler.messages == ["Truncated title", "Truncated message", "Truncated URL"])
        #expect(handler.levels == [.warning, .warning, .warning])
    }

    @Test func blankMessageBecomesNoDetails() throws {
        var config = try #require(try IntegrationRecordings.receiver("pushover-default").pushoverConfigs.first)
        config.message = "  {{ if false }}x{{ end }}\n "
        let query = try notifier(config, client: Self.idleClient, apiURL: "").render(oneAlertNotification())
        #expect(query.contains("&message=%28no+details%29&"))
    }

    static let answers: [(Int, AttemptOutcome)] = [
        (200, .delivered), (500, .retried), (503, .retried), (400, .failedForGood), (429, .failedForGood),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, expected: AttemptOutcome) async throws {
        let reply = TestHTTPServer.Reply(status: status, body: Array(#"{"status":0}"#.utf8))
        try await withServerAndClient(handler: { _ in reply }) { server, client in
            let config = try #require(try IntegrationRecordings.receiver("pushover-default").pushoverConfigs.first)
            let result = await notifier(config, client: client, apiURL: server.baseURL + "/1/messages.json")
                .notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if case .failed(_, _, let message) = result {
                #expect(message == #"unexpected status code \#(status): {"status":0}"#)
                #expect(!message.contains("po-token"))
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test(arguments: [
        ("{token: t}", "missing user key in Pushover config"),
        ("{user_key: u}", "missing token in Pushover config"),
    ])
    func incompleteConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, pushover_configs: [\(entry)]}]
                """)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    /// The recorded configs go through the recording's HTTPS proxy; tests talk to the test server directly.
    private func notifier(_ recorded: PushoverConfig, client: HTTPClient, apiURL: String) -> PushoverNotifier {
        var config = recorded
        config.httpConfig = HTTPClientConfig()
        // Recorded templates: the default set plus recorder.tmpl.
        let templates = (try? IntegrationRecordings.templates()) ?? TemplateSet()
        return PushoverNotifier(
            config: config, templates: templates, client: client, externalURL: IntegrationRecordings.externalURL,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, apiURL: apiURL)
    }
}
