import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate

/// `discord_configs`: posts one embed (title, description, a colour for the group's status) to a Discord
/// webhook, as Alertmanager 0.25 does. 5xx and transport errors are retried, other answers are not.
public struct DiscordNotifier: Notifier {
    /// `discord`.
    public let integrationName = "discord"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: DiscordConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster

    /// Embed colours: red while anything fires, green when all is resolved.
    static let firingColor = 0x992D22
    static let resolvedColor = 0x2ECC71

    /// Creates the notifier for one `discord_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash.
    public init(config: DiscordConfig, templates: TemplateSet, client: HTTPClient, externalURL: String) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Renders and posts the embed once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let body: [UInt8]
        do {
            body = try render(notification)
        } catch {
            return error.result
        }
        guard let url = config.webhookURL?.revealed else {
            return .failed(retry: false, reason: .other, message: "no discord webhook URL provided")
        }
        switch await poster.post(url: url, body: body, deadline: notification.deadline) {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }

    /// The JSON body: `{"content":"","embeds":[{"title","description","color"}]}` and a newline (Go's encoder).
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> [UInt8] {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let title = try templater.render(config.title, field: "title")
        let description = try templater.render(config.message, field: "message")
        let color = notification.status == .firing ? Self.firingColor : Self.resolvedColor
        var json = GoJSONWriter(capacity: 256 + title.utf8.count + description.utf8.count)
        json.raw(#"{"content":"","embeds":[{"title":"#)
        json.string(title)
        json.raw(#","description":"#)
        json.string(description)
        json.raw(#","color":"#)
        json.int(color)
        json.raw("}]}\n")
        return json.bytes
    }
}
