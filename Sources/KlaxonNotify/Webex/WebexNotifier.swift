import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `webex_configs`: posts the rendered message as Markdown to a Webex room through the Messages API, with the
/// `http_config` authorization (a bot token). 5xx and transport errors are retried, other answers are not.
public struct WebexNotifier: Notifier {
    /// `webex`.
    public let integrationName = "webex"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: WebexConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let logger: Logger

    /// Webex's limit for a message, in bytes; longer messages are cut with `notify.TruncateInBytes`.
    static let maxMessageBytes = 7439

    /// Creates the notifier for one `webex_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash. A cut message is
    /// logged at debug level on `logger`, as Alertmanager logs it.
    public init(
        config: WebexConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger
    ) {
        self.logger = logger
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Renders and posts the message once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let body: [UInt8]
        do {
            body = try render(notification)
        } catch {
            return error.result
        }
        let url = config.apiURL?.string ?? "https://webexapis.com/v1/messages"
        switch await poster.post(url: url, body: body, deadline: notification.deadline) {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }

    /// The JSON body: `{"markdown":…,"roomId":…}` (`roomId` left out when empty) and a newline.
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> [UInt8] {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let message = try templater.render(config.message, field: "message").truncatedInBytes(Self.maxMessageBytes)
        if message.truncated {
            logger.debug(
                "message truncated due to exceeding maximum allowed length by webex",
                metadata: ["integration.name": "webex", "max_bytes": .stringConvertible(Self.maxMessageBytes)])
        }
        var json = GoJSONWriter(capacity: 64 + message.text.utf8.count + config.roomID.utf8.count)
        json.raw(#"{"markdown":"#)
        json.string(message.text)
        if !config.roomID.isEmpty {
            json.raw(#","roomId":"#)
            json.string(config.roomID)
        }
        json.raw("}\n")
        return json.bytes
    }
}
