import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Testing

@testable import KlaxonNotify

@Suite struct WechatNotifierTests {
    /// (receiver, recorded token request, recorded message). `send_resolved` is false by default, so each group
    /// sent once.
    static let recordedCases: [(String, String, String)] = [
        ("wechat-default", "wechat/gettoken.0", "wechat/message_send.0"),
        ("wechat-markdown", "wechat/gettoken.1", "wechat/md_message_send.0"),
    ]

    /// Answers as the recording's sink did: a token, then WeChat's success.
    static let sinkHandler: TestHTTPServer.Handler = { request in
        if request.target.contains("/gettoken?") {
            return TestHTTPServer.Reply(
                body: Array(#"{"errcode":0,"errmsg":"ok","access_token":"wechat-token-1"}"#.utf8))
        }
        return TestHTTPServer.Reply(body: Array(#"{"errcode":0,"errmsg":"ok"}"#.utf8))
    }

    @Test(arguments: recordedCases)
    func requestsAreByteIdenticalToAlertmanagers(receiver: String, tokenRequest: String, message: String)
        async throws
    {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: 0)
        try await withServerAndClient(handler: Self.sinkHandler) { server, client in
            var config = try #require(try IntegrationRecordings.receiver(receiver).wechatConfigs.first)
            config.apiURL = IntegrationRecordings.onServer(config.apiURL, server)
            let notifier = WechatNotifier(
                config: config, templates: try IntegrationRecordings.templates(), client: client,
                externalURL: IntegrationRecordings.externalURL)
            #expect(AttemptOutcome(await notifier.notify(notification)) == .delivered)
            let requests = server.requests
            try #require(requests.count == 2)
            for (request, name) in zip(requests, [tokenRequest, message]) {
                let expected = try IntegrationRecordings.request(name)
                #expect(request.method == expected.method)
                #expect(request.target == expected.target)
                for header in ["Content-Type", "User-Agent"] {
                    #expect(request.header(header) == expected.headers[header], "\(name): \(header)")
                }
                #expect(firstDifference(request.body, try IntegrationRecordings.body(name + ".body")) == nil)
            }
        }
    }

    @Test func tokenIsFetchedOnceAndReused() async throws {
        try await withServerAndClient(handler: Self.sinkHandler) { server, client in
            let notifier = try notifier(server: server, client: client)
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            #expect(server.requests.map(\.method) == ["GET", "POST", "POST"])
        }
    }

    @Test func expiredTokenCodeIsRetriedWithANewToken() async throws {
        let sends = Counter()
        let handler: TestHTTPServer.Handler = { request in
            if request.target.contains("/gettoken?") { return Self.sinkHandler(request) }
            // Alertmanager 0.25 reads `code`, not WeChat's `errcode`.
            return sends.next() == 0
                ? TestHTTPServer.Reply(body: Array(#"{"code":42001,"error":"access_token expired"}"#.utf8))
                : Self.sinkHandler(request)
        }
        try await withServerAndClient(handler: handler) { server, client in
            let notifier = try notifier(server: server, client: client)
            let first = await notifier.notify(oneAlertNotification())
            #expect(AttemptOutcome(first) == .retried)
            if case .failed(_, _, let message) = first { #expect(message == "access_token expired") }
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            #expect(server.requests.map(\.method) == ["GET", "POST", "GET", "POST"])
        }
    }

    /// Alertmanager retries every answer but 200 here, 4xx included; an error code in a 200 is final.
    static let answers: [(Int, String, AttemptOutcome)] = [
        (200, #"{"errcode":0,"errmsg":"ok"}"#, .delivered),
        (200, #"{"code":40014,"error":"invalid access_token"}"#, .failedForGood),
        (200, "not json", .retried),
        (500, "", .retried),
        (400, "", .retried),
        (204, "", .retried),
    ]

    @Test(arguments: answers)
    func answerIsRetriedOnlyWhenAlertmanagerRetriesIt(status: Int, body: String, expected: AttemptOutcome)
        async throws
    {
        let handler: TestHTTPServer.Handler = { request in
            if request.target.contains("/gettoken?") { return Self.sinkHandler(request) }
            return TestHTTPServer.Reply(status: status, body: Array(body.utf8))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let result = try await notifier(server: server, client: client).notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if status != 200, case .failed(_, _, let message) = result {
                #expect(message == "unexpected status code \(status)")
            }
        }
    }

    @Test func tokenAnswerWithoutATokenFailsWithoutRetry() async throws {
        let handler: TestHTTPServer.Handler = { _ in
            TestHTTPServer.Reply(body: Array(#"{"errcode":40001,"errmsg":"invalid credential"}"#.utf8))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let result = try await notifier(server: server, client: client).notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == .failedForGood)
            if case .failed(_, _, let message) = result {
                #expect(message == "invalid APISecret for CorpID: corp")
                #expect(!message.contains("SECRET"))
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func unknownMessageTypeIsRejectedWithAlertmanagersMessage() throws {
        #expect {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, wechat_configs: [{api_secret: s, corp_id: c, message_type: html}]}]
                """)
        } throws: { error in
            String(describing: error).contains(
                #"weChat message type "html" does not match valid options ^(text|markdown)$"#)
        }
    }

    private func notifier(server: TestHTTPServer, client: HTTPClient) throws -> WechatNotifier {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers:
              - name: r
                wechat_configs: [{api_url: '\(server.baseURL)/cgi-bin/', api_secret: SECRET, corp_id: corp}]
            """)
        return WechatNotifier(
            config: try #require(receiver.wechatConfigs.first), templates: try TemplateSet.defaults(), client: client,
            externalURL: "http://am")
    }
}

/// A thread-safe counter for handlers that answer differently over time. `@unchecked Sendable`: guarded by
/// `lock`.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The current value, then incremented.
    func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}
