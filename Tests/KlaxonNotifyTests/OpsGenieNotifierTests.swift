import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonNotify

@Suite struct OpsGenieNotifierTests {
    /// (receiver, notification number, recorded requests in order). The first two notifications of each group
    /// fire (create; with `update_alerts` also the message and description updates), the third closes.
    static let recordedCases: [(String, Int, [String])] = [
        ("opsgenie-default", 0, ["opsgenie/global_v2_alerts.0"]),
        ("opsgenie-default", 1, ["opsgenie/global_v2_alerts.1"]),
        ("opsgenie-default", 2, ["opsgenie/global_v2_alerts_ALIAS_close.0"]),
        (
            "opsgenie-full", 0,
            [
                "opsgenie/full_v2_alerts.0", "opsgenie/full_v2_alerts_ALIAS_message.0",
                "opsgenie/full_v2_alerts_ALIAS_description.0",
            ]
        ),
        (
            "opsgenie-full", 1,
            [
                "opsgenie/full_v2_alerts.1", "opsgenie/full_v2_alerts_ALIAS_message.1",
                "opsgenie/full_v2_alerts_ALIAS_description.1",
            ]
        ),
        ("opsgenie-full", 2, ["opsgenie/full_v2_alerts_ALIAS_close.0"]),
    ]

    @Test(arguments: recordedCases)
    func requestsAreByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: [String]) async throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        try await withServerAndClient(handler: { _ in TestHTTPServer.Reply(status: 202) }) { server, client in
            var config = try #require(try IntegrationRecordings.receiver(receiver).opsgenieConfigs.first)
            // Same path as recorded, on the test server.
            config.apiURL = IntegrationRecordings.onServer(config.apiURL, server)
            let notifier = OpsGenieNotifier(
                config: config, templates: try IntegrationRecordings.templates(), client: client,
                externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test"))
            #expect(AttemptOutcome(await notifier.notify(notification)) == .delivered)
            let requests = server.requests
            #expect(requests.count == recorded.count)
            for (request, name) in zip(requests, recorded) {
                let expected = try IntegrationRecordings.request(name)
                #expect(request.method == expected.method)
                #expect(request.target == expected.target)
                for header in ["Authorization", "Content-Type", "User-Agent"] {
                    #expect(request.header(header) == expected.headers[header], "\(name): \(header)")
                }
                #expect(firstDifference(request.body, try IntegrationRecordings.body(name + ".body")) == nil, "\(name)")
            }
        }
    }

    @Test func longMessageIsCutAndLoggedAsAlertmanagerDoes() throws {
        let handler = RecordingLogHandler()
        let config = try #require(try IntegrationRecordings.receiver("opsgenie-full").opsgenieConfigs.first)
        let notifier = OpsGenieNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test") { _ in handler })
        _ = try notifier.render(try IntegrationRecordings.notification(receiver: "opsgenie-full", index: 0))
        #expect(handler.messages == ["Truncated message"])
        #expect(handler.metadataEntries.first?["max_runes"]?.description == "130")
    }

    /// OpsGenie's `Retrier` adds 429 to the 5xx that are always retried.
    static let answers: [(Int, AttemptOutcome)] = [
        (202, .delivered), (200, .delivered), (429, .retried), (500, .retried), (503, .retried),
        (400, .failedForGood), (401, .failedForGood), (422, .failedForGood),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, expected: AttemptOutcome) async throws {
        let handler: TestHTTPServer.Handler = { _ in
            TestHTTPServer.Reply(status: status, body: Array(#"{"message":"x"}"#.utf8))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let notifier = try notifier(apiURL: server.baseURL + "/", updateAlerts: true, client: client)
            let result = await notifier.notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if case .failed(_, _, let message) = result {
                #expect(message == #"unexpected status code \#(status): {"message":"x"}"#)
                #expect(!message.contains("SECRETKEY"))
            }
            // A failed create stops the notification: the updates are not sent.
            #expect(server.requests.count == (expected == .delivered ? 3 : 1))
        }
    }

    @Test(arguments: [
        (
            "{responders: [{type: team}]}",
            "opsGenieConfig responder {   team} has to have at least one of id, username or name specified"
        ),
        (
            "{responders: [{name: n, type: NoBody}]}",
            "opsGenieConfig responder { n  nobody} type does not match valid options ^(team|teams|user|escalation|schedule)$"
        ),
        ("{api_key: k, api_key_file: /f}", "at most one of api_key & api_key_file must be configured"),
    ])
    func invalidConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver(
                """
                global: {opsgenie_api_key: g}
                route: {receiver: r}
                receivers: [{name: r, opsgenie_configs: [\(entry)]}]
                """)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test func apiURLGainsATrailingSlashAndTypesAreSentAsWritten() throws {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers:
              - name: r
                opsgenie_configs: [{api_key: k, api_url: 'http://og.test/base', responders: [{name: n, type: Team}]}]
            """)
        let config = try #require(receiver.opsgenieConfigs.first)
        #expect(config.apiURL?.string == "http://og.test/base/")
        #expect(config.responders.first?.type == "Team")
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    private func notifier(apiURL: String, updateAlerts: Bool, client: HTTPClient) throws -> OpsGenieNotifier {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers:
              - name: r
                opsgenie_configs: [{api_key: SECRETKEY, api_url: '\(apiURL)', update_alerts: \(updateAlerts)}]
            """)
        return OpsGenieNotifier(
            config: try #require(receiver.opsgenieConfigs.first), templates: try TemplateSet.defaults(),
            client: client, externalURL: "http://am", logger: Logger(label: "test"))
    }
}
