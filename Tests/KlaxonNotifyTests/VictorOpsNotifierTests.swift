import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonNotify

@Suite struct VictorOpsNotifierTests {
    /// (receiver, notification number, recorded request). `victorops-custom` picks WARNING while firing, adds
    /// custom fields and renders a state message over the 20480-rune limit.
    static let recordedCases: [(String, Int, String)] = [
        ("victorops-default", 0, "victorops/vo-route.0"),
        ("victorops-default", 1, "victorops/vo-route.1"),
        ("victorops-default", 2, "victorops/vo-route.2"),
        ("victorops-custom", 0, "victorops/route-ops.0"),
        ("victorops-custom", 1, "victorops/route-ops.1"),
        ("victorops-custom", 2, "victorops/route-ops.2"),
    ]

    @Test(arguments: recordedCases)
    func requestIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) async throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        try await withServerAndClient { server, client in
            var config = try #require(try IntegrationRecordings.receiver(receiver).victoropsConfigs.first)
            config.apiURL = IntegrationRecordings.onServer(config.apiURL, server)
            let notifier = VictorOpsNotifier(
                config: config, templates: try IntegrationRecordings.templates(), client: client,
                externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test"))
            #expect(AttemptOutcome(await notifier.notify(notification)) == .delivered)
            let expected = try IntegrationRecordings.request(recorded)
            let request = try #require(server.requests.first)
            #expect(request.method == expected.method)
            #expect(request.target == expected.target)
            for header in ["Content-Type", "User-Agent"] {
                #expect(request.header(header) == expected.headers[header], "\(header)")
            }
            #expect(firstDifference(request.body, try IntegrationRecordings.body(recorded + ".body")) == nil)
        }
    }

    @Test func longStateMessageIsCutAndLoggedAsAlertmanagerDoes() async throws {
        let handler = RecordingLogHandler()
        let config = try #require(try IntegrationRecordings.receiver("victorops-custom").victoropsConfigs.first)
        let notification = try IntegrationRecordings.notification(receiver: "victorops-custom", index: 0)
        let notifier = VictorOpsNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test") { _ in handler })
        let templater = NotificationTemplater(
            templates: try IntegrationRecordings.templates(), notification: notification,
            externalURL: IntegrationRecordings.externalURL)
        _ = try notifier.payload(notification, templater: templater)
        #expect(handler.messages == ["Truncated state_message"])
        #expect(handler.metadataEntries.first?["max_runes"]?.description == "20480")
    }

    static let answers: [(Int, AttemptOutcome)] = [
        (200, .delivered), (500, .retried), (503, .retried), (400, .failedForGood), (404, .failedForGood),
        (429, .failedForGood),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, expected: AttemptOutcome) async throws {
        let reply = TestHTTPServer.Reply(status: status, body: Array(#"{"result":"failure"}"#.utf8))
        try await withServerAndClient(handler: { _ in reply }) { server, client in
            let receiver = try onlyReceiver(
                """
                route: {receiver: r}
                receivers:
                  - name: r
                    victorops_configs: [{api_key: SECRETKEY, api_url: '\(server.baseURL)/rest', routing_key: rk}]
                """)
            let notifier = VictorOpsNotifier(
                config: try #require(receiver.victoropsConfigs.first), templates: try TemplateSet.defaults(),
                client: client, externalURL: "http://am", logger: Logger(label: "test"))
            let result = await notifier.notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if case .failed(_, _, let message) = result {
                #expect(message == #"unexpected status code \#(status): {"result":"failure"}"#)
                #expect(!message.contains("SECRETKEY"))
            }
            #expect(server.requests.first?.target == "/rest/SECRETKEY/rk")
        }
    }

    @Test(arguments: [
        ("{api_key: k}", "missing Routing key in VictorOps config"),
        (
            "{api_key: k, routing_key: r, custom_fields: {entity_state: x}}",
            "victorOps config contains custom field entity_state which cannot be used as it conflicts with the fixed/static fields"
        ),
        ("{routing_key: r}", "no global VictorOps API Key set"),
    ])
    func invalidConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, victorops_configs: [\(entry)]}]
                """)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    static let idleClient = HTTPClient(maxConnections: 1)
}
