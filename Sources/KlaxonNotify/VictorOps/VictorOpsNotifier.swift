import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `victorops_configs`: posts one event per notification to the REST endpoint `<api_url><api key>/<routing
/// key>`: CRITICAL (or the configured INFO/WARNING) while firing, RECOVERY when resolved, with the entity id
/// the SHA-256 of the group key. 5xx and transport errors are retried, other answers are not.
public struct VictorOpsNotifier: Notifier {
    /// `victorops`.
    public let integrationName = "victorops"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: VictorOpsConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let logger: Logger

    /// VictorOps' limit for `state_message`, in runes.
    static let maxStateMessageRunes = 20480
    private static let firingMessageTypes: Set<String> = ["INFO", "WARNING", "CRITICAL"]

    /// Creates the notifier for one `victorops_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash. A cut
    /// state message is logged as a warning on `logger`.
    public init(
        config: VictorOpsConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger
    ) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        self.logger = logger
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Renders and posts the event once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let url: String
        do {
            url = try target(templater)
        } catch {
            return error.result
        }
        let body: [UInt8]
        do {
            body = try payload(notification, templater: templater)
        } catch {
            // Alertmanager 0.25 retries a payload that failed to render.
            return .failed(retry: true, reason: .other, message: error.description)
        }
        // The URL holds the API key: it is never logged or put in an error.
        switch await poster.post(url: url, body: body, deadline: notification.deadline) {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }

    /// `<api_url><api key>/<rendered routing key>`.
    func target(_ templater: NotificationTemplater) throws(NotificationBuildError) -> String {
        let apiKey: String
        if let key = config.apiKey {
            apiKey = key.revealed
        } else if let path = config.apiKeyFile, let content = HTTPClientConfig.readSecretFile(path) {
            apiKey = content
        } else {
            throw NotificationBuildError("failed to read API key from file")
        }
        let routingKey: String
        do {
            routingKey = try templater.render(config.routingKey, field: "routing_key")
        } catch {
            throw NotificationBuildError("templating error: \(error.description)")
        }
        return (config.apiURL?.string ?? "") + apiKey + "/" + routingKey
    }

    /// The JSON body: a Go `map[string]string`, keys sorted, and a newline.
    func payload(
        _ notification: GroupNotification, templater: NotificationTemplater
    ) throws(NotificationBuildError) -> [UInt8] {
        let render = templater.render
        var messageType = try render(config.messageType, "message_type")
        if notification.status == .resolved {
            messageType = "RECOVERY"
        } else if !Self.firingMessageTypes.contains(messageType) {
            messageType = "CRITICAL"
        }
        let stateMessage = try render(config.stateMessage, "state_message").truncatedInRunes(Self.maxStateMessageRunes)
        if stateMessage.truncated {
            logger.warning(
                "Truncated state_message",
                metadata: [
                    "integration.name": "victorops", "incident": .string(notification.groupKey),
                    "max_runes": .stringConvertible(Self.maxStateMessageRunes),
                ])
        }
        var fields: [String: String] = [
            "message_type": messageType,
            "entity_id": PagerDutyNotifier.dedupKey(groupKey: notification.groupKey),
            "entity_display_name": try render(config.entityDisplayName, "entity_display_name"),
            "state_message": stateMessage.text,
            "monitoring_tool": try render(config.monitoringTool, "monitoring_tool"),
        ]
        for name in config.customFields.keys.sorted() {
            fields[name] = try render(config.customFields[name] ?? "", "custom_fields.\(name)")
        }
        var json = GoJSONWriter(capacity: 512 + stateMessage.text.utf8.count)
        var object = JSONObjectWriter()
        json.raw("{")
        for name in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            object.string(name, fields[name] ?? "", into: &json)
        }
        json.raw("}\n")
        return json.bytes
    }
}
