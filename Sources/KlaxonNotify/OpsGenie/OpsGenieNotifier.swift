import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `opsgenie_configs`: creates an OpsGenie alert while the group fires (aliased by the SHA-256 of the group key,
/// so OpsGenie deduplicates), closes it once all is resolved, and with `update_alerts` also rewrites the
/// message and description of the open alert. Requests go one after the other and stop at the first failure.
/// 5xx, 429 and transport errors are retried, other answers are not.
public struct OpsGenieNotifier: Notifier {
    /// `opsgenie`.
    public let integrationName = "opsgenie"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: OpsGenieConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let logger: Logger

    /// OpsGenie's limit for `message`, in runes.
    static let maxMessageRunes = 130

    /// One request of a notification.
    struct Request: Equatable {
        var method: String
        /// The URL: `api_url` plus the API path (and `?identifierType=alias`).
        var url: String
        var body: [UInt8]
    }

    /// Creates the notifier for one `opsgenie_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash. A cut message
    /// is logged as a warning on `logger`.
    public init(
        config: OpsGenieConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger
    ) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        self.logger = logger
        // OpsGenie asks clients to retry rate limiting.
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [429])
    }

    /// Sends the notification's requests in order.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let requests: [Request]
        let apiKey: String
        do {
            (requests, apiKey) = try render(notification)
        } catch {
            return error.result
        }
        let headers = [
            HTTPHeader("Content-Type", "application/json"), HTTPHeader("Authorization", "GenieKey " + apiKey),
        ]
        var statuses: [String] = []
        for request in requests {
            switch await poster.send(
                method: request.method, url: request.url, headers: headers, body: request.body,
                deadline: notification.deadline)
            {
            case .failed(let result): return result
            case .response(let response): statuses.append("\(response.status)")
            }
        }
        return .delivered(status: statuses.joined(separator: ","))
    }

    /// The requests for `notification` and the rendered API key.
    func render(_ notification: GroupNotification) throws(NotificationBuildError) -> ([Request], String) {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let render = templater.render
        let alias = PagerDutyNotifier.dedupKey(groupKey: notification.groupKey)
        let base = config.apiURL?.string ?? "https://api.opsgenie.com/"
        var requests: [Request] = []
        if notification.status == .resolved {
            var json = GoJSONWriter()
            json.raw(#"{"source":"#)
            json.string(try render(config.source, "source"))
            json.raw("}\n")
            requests.append(
                Request(method: "POST", url: base + "v2/alerts/\(alias)/close?identifierType=alias", body: json.bytes))
        } else {
            let message = try render(config.message, "message").truncatedInRunes(Self.maxMessageRunes)
            if message.truncated {
                logger.warning(
                    "Truncated message",
                    metadata: [
                        "integration.name": "opsgenie", "alert": .string(notification.groupKey),
                        "max_runes": .stringConvertible(Self.maxMessageRunes),
                    ])
            }
            let description = try render(config.description, "description")
            var details: [String: String] = [:]
            for label in notification.commonLabels.labels { details[label.name] = label.value }
            for name in config.details.keys.sorted() {
                details[name] = try render(config.details[name] ?? "", "details.\(name)")
            }
            var json = GoJSONWriter(capacity: 1024 + description.utf8.count)
            var object = JSONObjectWriter()
            json.raw("{")
            object.string("alias", alias, into: &json)
            object.string("message", message.text, into: &json)
            object.optionalString("description", description, into: &json)
            object.key("details", into: &json)
            json.raw("{")
            var detailObject = JSONObjectWriter()
            for name in details.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                detailObject.string(name, details[name] ?? "", into: &json)
            }
            json.raw("}")
            object.string("source", try render(config.source, "source"), into: &json)
            let responders = try renderResponders(templater)
            if !responders.isEmpty {
                object.key("responders", into: &json)
                json.raw("[")
                for (index, responder) in responders.enumerated() {
                    if index > 0 { json.raw(",") }
                    var inner = JSONObjectWriter()
                    json.raw("{")
                    inner.optionalString("id", responder.id, into: &json)
                    inner.optionalString("name", responder.name, into: &json)
                    inner.optionalString("username", responder.username, into: &json)
                    inner.string("type", responder.type, into: &json)
                    json.raw("}")
                }
                json.raw("]")
            }
            let tags = Self.safeSplit(try render(config.tags, "tags"))
            if !tags.isEmpty {
                object.key("tags", into: &json)
                json.stringArray(tags)
            }
            object.optionalString("note", try render(config.note, "note"), into: &json)
            object.optionalString("priority", try render(config.priority, "priority"), into: &json)
            object.optionalString("entity", try render(config.entity, "entity"), into: &json)
            let actions = Self.safeSplit(try render(config.actions, "actions"))
            if !actions.isEmpty {
                object.key("actions", into: &json)
                json.stringArray(actions)
            }
            json.raw("}\n")
            requests.append(Request(method: "POST", url: base + "v2/alerts", body: json.bytes))
            if config.updateAlerts {
                requests.append(
                    Request(
                        method: "PUT", url: base + "v2/alerts/\(alias)/message?identifierType=alias",
                        body: Self.singleField("message", message.text)))
                requests.append(
                    Request(
                        method: "PUT", url: base + "v2/alerts/\(alias)/description?identifierType=alias",
                        body: Self.singleField("description", description)))
            }
        }
        return (requests, try renderAPIKey(templater))
    }

    /// The responders, rendered; all-empty ones are dropped and `teams` becomes one `team` per listed name.
    private func renderResponders(
        _ templater: NotificationTemplater
    ) throws(NotificationBuildError) -> [OpsGenieConfig.Responder] {
        var out: [OpsGenieConfig.Responder] = []
        for (index, responder) in config.responders.enumerated() {
            let field = "responders[\(index)]"
            let rendered = OpsGenieConfig.Responder(
                id: try templater.render(responder.id, field: field + ".id"),
                name: try templater.render(responder.name, field: field + ".name"),
                username: try templater.render(responder.username, field: field + ".username"),
                type: try templater.render(responder.type, field: field + ".type"))
            if rendered == OpsGenieConfig.Responder() { continue }
            if rendered.type == "teams" {
                for team in Self.safeSplit(rendered.name) {
                    out.append(
                        OpsGenieConfig.Responder(
                            name: try templater.render(team, field: field + ".name"), type: "team"))
                }
                continue
            }
            out.append(rendered)
        }
        return out
    }

    /// `api_key`, or the content of `api_key_file` (read now, untrimmed as Alertmanager reads it), rendered as a
    /// template. Neither the key nor the template's error is put in a message.
    private func renderAPIKey(_ templater: NotificationTemplater) throws(NotificationBuildError) -> String {
        let text: String
        if let key = config.apiKey {
            text = key.revealed
        } else if let path = config.apiKeyFile, let data = FileManager.default.contents(atPath: path) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            throw NotificationBuildError("read key_file error")
        }
        do {
            return try templater.render(text, field: "api_key")
        } catch {
            throw NotificationBuildError("templating error: failed to template api_key")
        }
    }

    /// Alertmanager's `safeSplit`: the trimmed text split at `,`, empty parts dropped (others keep their spaces).
    static func safeSplit(_ text: String) -> [String] {
        text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: true)
            .map(String.init)
    }

    /// `{"<name>":"<value>"}` with the field left out when empty (Go's `omitempty`), and a newline.
    private static func singleField(_ name: String, _ value: String) -> [UInt8] {
        var json = GoJSONWriter(capacity: 32 + value.utf8.count)
        var object = JSONObjectWriter()
        json.raw("{")
        object.optionalString(name, value, into: &json)
        json.raw("}\n")
        return json.bytes
    }
}
