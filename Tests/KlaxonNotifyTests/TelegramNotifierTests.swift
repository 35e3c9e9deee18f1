import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonNotify

@Suite struct TelegramNotifierTests {
    /// (receiver, notification number, recorded request). `telegram-default` uses parse_mode HTML (the
    /// default): the alert data is escaped by html/template. `telegram-markdown` renders 21000 runes of text:
    /// Alertmanager cuts them to 4096. `telegram-html` has a message of its own with a link, a comment and
    /// `safeHtml`.
    static let recordedCases: [(String, Int, String)] = [
        ("telegram-default", 0, "telegram/bottg-token-1_sendMessage.0"),
        ("telegram-default", 1, "telegram/bottg-token-1_sendMessage.1"),
        ("telegram-default", 2, "telegram/bottg-token-1_sendMessage.2"),
        ("telegram-markdown", 0, "telegram/bottg-token-2_sendMessage.0"),
        ("telegram-markdown", 1, "telegram/bottg-token-2_sendMessage.1"),
        ("telegram-markdown", 2, "telegram/bottg-token-2_sendMessage.2"),
        ("telegram-html", 0, "telegram/bottg-token-3_sendMessage.0"),
        ("telegram-html", 1, "telegram/bottg-token-3_sendMessage.1"),
        ("telegram-html", 2, "telegram/bottg-token-3_sendMessage.2"),
    ]

    @Test(arguments: recordedCases)
    func bodyIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) throws {
        let notification = try IntegrationRecordings.notification(receiver: receiver, index: index)
        let config = try #require(try IntegrationRecordings.receiver(receiver).telegramConfigs.first)
        let body = try TelegramNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test")
        ).render(notification)
        #expect(firstDifference(body, try IntegrationRecordings.body(recorded + ".body")) == nil)
    }

    @Test(arguments: [
        ("telegram-default", "telegram/bottg-token-1_sendMessage.0"),
        ("telegram-markdown", "telegram/bottg-token-2_sendMessage.0"),
    ])
    func requestGoesToTheBotsSendMessageMethod(receiver: String, recordedRequest: String) async throws {
        try await withServerAndClient(handler: { _ in Self.sent }) { server, client in
            var config = try #require(try IntegrationRecordings.receiver(receiver).telegramConfigs.first)
            config.apiURL = IntegrationRecordings.onServer(config.apiURL, server)
            let notifier = TelegramNotifier(
                config: config, templates: try IntegrationRecordings.templates(), client: client,
                externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test"))
            #expect(AttemptOutcome(await notifier.notify(oneAlertNotification())) == .delivered)
            let recorded = try IntegrationRecordings.request(recordedRequest)
            let request = try #require(server.requests.first)
            #expect(request.method == recorded.method)
            #expect(request.target == recorded.target)
            for name in ["Content-Type", "User-Agent"] {
                #expect(request.header(name) == recorded.headers[name], "\(name)")
            }
        }
    }

    @Test func cutMessageIsLoggedAsAWarning() throws {
        let handler = RecordingLogHandler()
        let config = try #require(try IntegrationRecordings.receiver("telegram-markdown").telegramConfigs.first)
        _ = try TelegramNotifier(
            config: config, templates: try IntegrationRecordings.templates(), client: Self.idleClient,
            externalURL: IntegrationRecordings.externalURL, logger: Logger(label: "test") { _ in handler }
        ).render(try IntegrationRecordings.notification(receiver: "telegram-markdown", index: 0))
        // Fixtures/Integrations/truncation.log.
        #expect(handler.messages == ["Truncated message"])
        #expect(handler.levels == [.warning])
    }

    static let sent = TestHTTPServer.Reply(
        status: 200, body: Array(#"{"ok":true,"result":{"message_id":7,"chat":{"id":42},"date":1}}"#.utf8))

    /// Alertmanager retries every failed send: telebot reads the JSON, not the status.
    static let answers: [(Int, String, AttemptOutcome, String?)] = [
        (200, #"{"ok":true,"result":{"message_id":1,"chat":{"id":42}}}"#, .delivered, nil),
        (
            400, #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#, .retried,
            "telegram: Bad Request: chat not found (400)"
        ),
        (401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#, .retried, "telegram: Unauthorized (401)"),
        (500, "oops", .retried, nil),
        (200, #"{"ok":true,"result":true}"#, .retried, nil),
    ]

    @Test(arguments: answers)
    func everyFailedAnswerIsRetried(status: Int, body: String, expected: AttemptOutcome, message: String?)
        async throws
    {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(status: status, body: Array(body.utf8)) }
        try await withServerAndClient(handler: handler) { server, client in
            let result = try await telegram(url: server.baseURL, client: client).notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == expected)
            if let message, case .failed(_, _, let got) = result { #expect(got == message) }
            if case .failed(_, _, let got) = result { #expect(!got.contains("SECRETTOKEN")) }
            #expect(server.requests.count == 1)
        }
    }

    @Test func unreachableAPIIsRetried() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let port = try freePort()
        let result = try await telegram(url: "http://127.0.0.1:\(port)", client: client).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == .retried)
    }

    @Test(arguments: [
        ("{chat_id: 1}", "missing bot_token on telegram_config"),
        ("{bot_token: t}", "missing chat_id on telegram_config"),
        (
            "{bot_token: t, chat_id: 1, parse_mode: html}",
            "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string"
        ),
    ])
    func incompleteConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver(
                """
                route: {receiver: r}
                receivers: [{name: r, telegram_configs: [\(entry)]}]
                """)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test func defaultsAreAlertmanagers() throws {
        let receiver = try onlyReceiver(
            """
            global: {telegram_api_url: 'http://tg.test'}
            route: {receiver: r}
            receivers: [{name: r, telegram_configs: [{bot_token: t, chat_id: -5}]}]
            """)
        let config = try #require(receiver.telegramConfigs.first)
        #expect(config.apiURL?.string == "http://tg.test")
        #expect(config.parseMode == "HTML")
        #expect(config.chatID == -5)
        #expect(config.sendResolved)
        #expect(!config.disableNotifications)
    }

    @Test func emptyParseModeRendersTextAndSendsNoParseMode() throws {
        var config = try telegramConfig(url: "http://tg.test")
        config.parseMode = ""
        config.message = #"{{ "<b>&</b>" }}"#
        let body = try TelegramNotifier(
            config: config, templates: try TemplateSet.defaults(), client: Self.idleClient, externalURL: "http://am",
            logger: Logger(label: "test")
        ).render(oneAlertNotification())
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"chat_id":"1","disable_web_page_preview":"true","text":"\u003cb\u003e\u0026\u003c/b\u003e"}"#
                + "\n")
    }

    static let idleClient = HTTPClient(maxConnections: 1)

    private func telegramConfig(url: String) throws -> TelegramConfig {
        let receiver = try onlyReceiver(
            """
            route: {receiver: r}
            receivers: [{name: r, telegram_configs: [{api_url: '\(url)', bot_token: SECRETTOKEN, chat_id: 1}]}]
            """)
        return try #require(receiver.telegramConfigs.first)
    }

    private func telegram(url: String, client: HTTPClient) throws -> TelegramNotifier {
        TelegramNotifier(
            config: try telegramConfig(url: url), templates: try TemplateSet.defaults(), client: client,
            externalURL: "http://am", logger: Logger(label: "test"))
    }
}
