import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `telegram_configs`: one `sendMessage` call of the Bot API per notification, as Alertmanager 0.25 makes it
/// through telebot: `POST <api_url>/bot<token>/sendMessage` with a JSON object of strings. With `parse_mode: HTML`
/// (the default) the message is rendered as html/template, so alert data is escaped for Telegram's HTML. The
/// message is cut to 4096 runes. Alertmanager retries every failure: transport errors, answers whose JSON says
/// `"ok": false` (whatever the status) and answers that are not a message.
public struct TelegramNotifier: Notifier {
    /// `telegram`.
    public let integrationName = "telegram"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: TelegramConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let logger: Logger

    /// Telegram's limit for a message, in runes.
    static let maxMessageRunes = 4096

    /// Creates the notifier for one `telegram_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash. Truncations are
    /// logged as warnings on `logger`.
    public init(
        config: TelegramConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger
    ) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        self.logger = logger
        var options = config.httpConfig.clientOptions()
        // telebot's requests do not go through Alertmanager's user-agent round tripper.
        options.userAgent = "Go-http-client/1.1"
        poster = JSONPoster(client: client, options: options, retryStatuses: [])
    }

    /// Renders and sends the message once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let body: [UInt8]
        do {
            body = try render(notification)
        } catch {
            return error.result
        }
        let base = config.apiURL?.string ?? "https://api.telegram.org"
        // The URL holds the bot token: it is never logged or put in an error.
        let url = base + "/bot" + config.botToken.revealed + "/sendMessage"
        let outcome = await poster.send(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: body,
            deadline: notification.deadline, anyStatus: true)
        switch outcome {
        case .failed(let result):
            return result
        case .response(let response):
            return Self.check(response)
        }
    }

    /// telebot's reading of the answer: a JSON object with `"ok": false` is the error
    /// `telegram: <description> (<error_code>)`; otherwise the `result` must be a message.
    static func check(_ response: HTTPResponse) -> NotifyResult {
        let reason: NotifyFailureReason = response.status >= 500 ? .serverError : .clientError
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return .failed(retry: true, reason: reason, message: "telebot: the answer is not a JSON object")
        }
        if (object["ok"] as? Bool) != true {
            let description = object["description"] as? String ?? ""
            let code = (object["error_code"] as? NSNumber)?.intValue ?? 0
            return .failed(retry: true, reason: reason, message: "telegram: \(description) (\(code))")
        }
        guard object["result"] is [String: Any] else {
            return .failed(retry: true, reason: reason, message: "telebot: the answer holds no message")
        }
        return .delivered(status: "\(response.status)")
    }

    /// The JSON body: telebot's parameters as a Go map of strings (keys sorted, HTML characters escaped, a
    /// trailing newline).
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> [UInt8] {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let rendered =
            config.parseMode == "HTML"
            ? try templater.renderHTML(config.message, field: "message")
            : try templater.render(config.message, field: "message")
        let message = rendered.truncatedInRunes(Self.maxMessageRunes)
        if message.truncated {
            logger.warning(
                "Truncated message",
                metadata: [
                    "integration.name": "telegram", "alert": .string(notification.groupKey),
                    "max_runes": .stringConvertible(Self.maxMessageRunes),
                ])
        }
        var parameters: [(String, String)] = [
            ("chat_id", String(config.chatID)), ("text", message.text), ("disable_web_page_preview", "true"),
        ]
        if config.disableNotifications { parameters.append(("disable_notification", "true")) }
        if !config.parseMode.isEmpty { parameters.append(("parse_mode", config.parseMode)) }
        parameters.sort { $0.0 < $1.0 }
        var json = GoJSONWriter(capacity: 128 + message.text.utf8.count)
        json.raw("{")
        for (index, (key, value)) in parameters.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(key)
            json.string(value)
        }
        json.raw("}\n")
        return json.bytes
    }
}
