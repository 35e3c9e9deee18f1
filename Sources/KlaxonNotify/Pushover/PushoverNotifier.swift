import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `pushover_configs`: one message per notification to Pushover's Messages API. Like Alertmanager 0.25, every
/// parameter travels in the query string of an empty `text/plain` POST; the title, message and URL are cut to
/// Pushover's limits. 5xx and transport errors are retried, other answers are not. With `html: true` the message
/// is rendered as html/template (values escaped for where they land), as Alertmanager renders it.
public struct PushoverNotifier: Notifier {
    /// `pushover`.
    public let integrationName = "pushover"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: PushoverConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let apiURL: String
    private let logger: Logger

    /// Where Alertmanager 0.25 sends every message (not configurable there).
    public static let messagesURL = "https://api.pushover.net/1/messages.json"
    /// Pushover's limits, in runes.
    static let maxTitleRunes = 250
    static let maxMessageRunes = 1024
    static let maxURLRunes = 512

    /// Creates the notifier for one `pushover_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash. Truncations
    /// are logged as warnings on `logger`.
    public init(
        config: PushoverConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger
    ) {
        self.init(
            config: config, templates: templates, client: client, externalURL: externalURL, logger: logger,
            apiURL: Self.messagesURL)
    }

    /// The same, sending to another URL (tests).
    init(
        config: PushoverConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger,
        apiURL: String
    ) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        self.apiURL = apiURL
        self.logger = logger
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Renders the parameters and posts them once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let query: String
        do {
            query = try render(notification)
        } catch {
            return error.result
        }
        // The URL holds the token and user key: it is never logged or put in an error.
        let outcome = await poster.send(
            method: "POST", url: apiURL + "?" + query, headers: [HTTPHeader("Content-Type", "text/plain")], body: [],
            deadline: notification.deadline)
        switch outcome {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }

    /// The query string, encoded as Go's `url.Values.Encode` (keys sorted).
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> String {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let render = templater.render
        let token: String
        let user: String
        do {
            token = try templater.render(config.token.revealed, field: "token")
            user = try templater.render(config.userKey.revealed, field: "user_key")
        } catch {
            // The template text is a secret: say which field failed, not how.
            throw NotificationBuildError("failed to template the Pushover token or user key")
        }
        var parameters: [(String, String)] = [("token", token), ("user", user)]
        let title = try render(config.title, "title").truncatedInRunes(Self.maxTitleRunes)
        warnIfTruncated(title.truncated, "Truncated title", maxRunes: Self.maxTitleRunes, notification)
        parameters.append(("title", title.text))
        if config.html { parameters.append(("html", "1")) }
        let rendered =
            config.html
            ? try templater.renderHTML(config.message, field: "message") : try render(config.message, "message")
        let message = rendered.truncatedInRunes(Self.maxMessageRunes)
        warnIfTruncated(message.truncated, "Truncated message", maxRunes: Self.maxMessageRunes, notification)
        let trimmed = message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Pushover rejects empty messages.
        parameters.append(("message", trimmed.isEmpty ? "(no details)" : trimmed))
        let url = try render(config.url, "url").truncatedInRunes(Self.maxURLRunes)
        warnIfTruncated(url.truncated, "Truncated URL", maxRunes: Self.maxURLRunes, notification)
        parameters.append(("url", url.text))
        parameters.append(("url_title", try render(config.urlTitle, "url_title")))
        parameters.append(("priority", try render(config.priority, "priority")))
        parameters.append(("retry", String(config.retry.nanoseconds / 1_000_000_000)))
        parameters.append(("expire", String(config.expire.nanoseconds / 1_000_000_000)))
        parameters.append(("sound", try render(config.sound, "sound")))
        return GoURL.encodeQuery(parameters)
    }

    private func warnIfTruncated(_ truncated: Bool, _ message: Logger.Message, maxRunes: Int, _ n: GroupNotification) {
        guard truncated else { return }
        logger.warning(
            message,
            metadata: [
                "integration.name": "pushover", "incident": .string(n.groupKey),
                "max_runes": .stringConvertible(maxRunes),
            ])
    }
}
