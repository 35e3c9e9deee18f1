import Crypto
import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate

/// `pagerduty_configs`: sends a trigger or resolve event per notification, deduplicated by the SHA-256 of the
/// group key, to Events API v2 (`routing_key`) or the legacy v1 API (`service_key`).
public struct PagerDutyNotifier: Notifier {
    /// `pagerduty`.
    public let integrationName = "pagerduty"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: PagerDutyConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster

    /// Alertmanager 0.25 posts every v1 event here.
    public static let eventsV1URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json"
    /// The default `pagerduty_url` (Events API v2).
    public static let eventsV2URL = "https://events.pagerduty.com/v2/enqueue"

    /// Creates the notifier for one `pagerduty_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash.
    public init(config: PagerDutyConfig, templates: TemplateSet, client: HTTPClient, externalURL: String) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        // PagerDuty asks clients to retry rate limiting: 429 in v2, 403 in v1.
        poster = JSONPoster(
            client: client, options: config.httpConfig.clientOptions(),
            retryStatuses: config.usesEventsV2 ? [429] : [403])
    }

    /// Renders and posts the event once. Template errors, an empty or unreadable key fail without retry;
    /// 5xx, the rate-limit status and transport errors are retried.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let message: PagerDutyMessage
        do {
            message = try render(notification)
        } catch {
            return error.result
        }
        switch await poster.post(url: targetURL, body: message.encoded(), deadline: notification.deadline) {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }

    /// Where events go: `url` for v2. For v1, the hard-coded v1 URL, unless `url` was changed from the
    /// default v2 URL (Alertmanager 0.25 ignores `url` for v1; Klaxon honours an explicit one so that v1 can
    /// be pointed at a proxy or a test server).
    private var targetURL: String {
        let configured = config.url?.string ?? Self.eventsV2URL
        if config.usesEventsV2 { return configured }
        return configured == Self.eventsV2URL ? Self.eventsV1URL : configured
    }

    /// Renders the event for `notification`: details first (defaults merged by the config), then the v1 or
    /// v2 fields.
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> PagerDutyMessage {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let render = templater.render
        var details: [String: String] = [:]
        for name in config.details.keys.sorted() {
            details[name] = try render(config.details[name] ?? "", "details.\(name)")
        }
        let resolved = notification.status == .resolved
        let eventAction = resolved ? "resolve" : "trigger"
        let dedupKey = Self.dedupKey(groupKey: notification.groupKey)
        if config.usesEventsV2 {
            var message = PagerDutyMessage(
                api: .v2, key: try renderKey(templater), dedupKey: dedupKey, eventAction: eventAction,
                summary: try render(config.description, "description")
                    .truncatedInRunes(PagerDutyMessage.maxSummaryRunes).text,
                details: details,
                client: try render(config.client, "client"),
                clientURL: try render(config.clientURL, "client_url"))
            message.source = try render(config.source.isEmpty ? config.client : config.source, "source")
            message.severity = try render(config.severity.isEmpty ? "error" : config.severity, "severity")
            message.eventClass = try render(config.class, "class")
            message.component = try render(config.component, "component")
            message.group = try render(config.group, "group")
            for (index, image) in config.images.enumerated() {
                let rendered = PagerDutyMessage.Image(
                    src: try render(image.src, "images[\(index)].src"),
                    alt: try render(image.alt, "images[\(index)].alt"),
                    href: try render(image.href, "images[\(index)].href"))
                if !rendered.src.isEmpty { message.images.append(rendered) }
            }
            for (index, link) in config.links.enumerated() {
                let rendered = PagerDutyMessage.Link(
                    href: try render(link.href, "links[\(index)].href"),
                    text: try render(link.text, "links[\(index)].text"))
                if !rendered.href.isEmpty { message.links.append(rendered) }
            }
            return message
        }
        return PagerDutyMessage(
            api: .v1, key: try renderKey(templater), dedupKey: dedupKey, eventAction: eventAction,
            summary: try render(config.description, "description")
                .truncatedInRunes(PagerDutyMessage.maxSummaryRunes).text,
            details: details,
            client: resolved ? "" : try render(config.client, "client"),
            clientURL: resolved ? "" : try render(config.clientURL, "client_url"))
    }

    /// Alertmanager's dedup key: the SHA-256 of the group key's UTF-8 bytes as 64 lowercase hex digits
    /// (`fmt.Sprintf("%x", sha256.Sum256([]byte(key)))`).
    static func dedupKey(groupKey: String) -> String {
        SHA256.hash(data: Array(groupKey.utf8)).map { byte in
            byte < 0x10 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }

    /// `routing_key` / `service_key` (or the trimmed content of the `_file`), itself a template. Neither the
    /// key nor the template's error text is ever put in a message.
    private func renderKey(_ templater: NotificationTemplater) throws(NotificationBuildError) -> String {
        let v2 = config.usesEventsV2
        let name = v2 ? "routing_key" : "service_key"
        let secret = v2 ? config.routingKey : config.serviceKey
        let file = v2 ? config.routingKeyFile : config.serviceKeyFile
        guard let text = secret?.revealed ?? file.flatMap(HTTPClientConfig.readSecretFile) else {
            throw NotificationBuildError("could not read \(name)_file")
        }
        let key: String
        do {
            key = try templater.render(text, field: name)
        } catch {
            throw NotificationBuildError("failed to template \(name)")
        }
        guard !key.isEmpty else {
            throw NotificationBuildError(v2 ? "routing key cannot be empty" : "service key cannot be empty")
        }
        return key
    }
}
