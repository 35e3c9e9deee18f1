import Foundation
import KlaxonCore

/// One rendered PagerDuty event, for Events API v2 (`routing_key`) or the legacy v1 API (`service_key`),
/// encoded exactly as Alertmanager 0.25 encodes its `pagerDutyMessage`.
struct PagerDutyMessage: Sendable, Equatable {
    /// Which Events API the message is for.
    enum API: Sendable, Equatable {
        case v1
        case v2
    }

    struct Image: Sendable, Equatable {
        var src: String
        var alt: String
        var href: String
    }

    struct Link: Sendable, Equatable {
        var href: String
        var text: String
    }

    /// PagerDuty's limit for an event, in bytes of JSON.
    static let maxEventBytes = 512_000
    /// What replaces the details of an event over the limit (`units.MetricBytes(512000)` prints `512KB`).
    static let detailsRemovedMessage =
        "Custom details have been removed because the original event exceeds the maximum size of 512KB"
    /// PagerDuty's limit for `summary` (v2) and `description` (v1), in runes.
    static let maxSummaryRunes = 1024

    var api: API
    /// `routing_key` (v2) or `service_key` (v1).
    var key: String
    /// `dedup_key` (v2) or `incident_key` (v1): the SHA-256 of the group key.
    var dedupKey: String
    /// `trigger` or `resolve` (`event_action` in v2, `event_type` in v1).
    var eventAction: String
    /// `payload.summary` (v2) or `description` (v1).
    var summary: String
    /// v2 `payload.source`.
    var source: String = ""
    /// v2 `payload.severity`.
    var severity: String = ""
    /// v2 `payload.class`.
    var eventClass: String = ""
    /// v2 `payload.component`.
    var component: String = ""
    /// v2 `payload.group`.
    var group: String = ""
    /// v2 `payload.custom_details` or v1 `details`.
    var details: [String: String]
    var client: String
    var clientURL: String
    var images: [Image] = []
    var links: [Link] = []

    /// The JSON body. When it exceeds 512000 bytes, the details are replaced by an explanation and the event
    /// is encoded again (Alertmanager's `encodeMessage`).
    func encoded() -> [UInt8] {
        let body = encoded(details: details)
        guard body.count > Self.maxEventBytes else { return body }
        return encoded(details: ["error": Self.detailsRemovedMessage])
    }

    private func encoded(details: [String: String]) -> [UInt8] {
        var json = GoJSONWriter(capacity: 1024 + details.values.reduce(0) { $0 + $1.utf8.count })
        var object = JSONObjectWriter()
        json.raw("{")
        switch api {
        case .v2:
            object.optionalString("routing_key", key, into: &json)
            object.optionalString("dedup_key", dedupKey, into: &json)
            object.string("event_action", eventAction, into: &json)
            object.key("payload", into: &json)
            encodePayload(details: details, into: &json)
        case .v1:
            object.optionalString("service_key", key, into: &json)
            object.optionalString("incident_key", dedupKey, into: &json)
            object.optionalString("event_type", eventAction, into: &json)
            object.optionalString("description", summary, into: &json)
            // The shared Go struct always writes these two; v1 leaves them unset.
            object.string("event_action", "", into: &json)
            object.key("payload", into: &json)
            json.raw("null")
        }
        object.optionalString("client", client, into: &json)
        object.optionalString("client_url", clientURL, into: &json)
        if api == .v1, !details.isEmpty {
            object.key("details", into: &json)
            Self.encode(details, into: &json)
        }
        if !images.isEmpty {
            object.key("images", into: &json)
            json.raw("[")
            for (index, image) in images.enumerated() {
                if index > 0 { json.raw(",") }
                var inner = JSONObjectWriter()
                json.raw("{")
                inner.string("src", image.src, into: &json)
                inner.string("alt", image.alt, into: &json)
                inner.string("href", image.href, into: &json)
                json.raw("}")
            }
            json.raw("]")
        }
        if !links.isEmpty {
            object.key("links", into: &json)
            json.raw("[")
            for (index, link) in links.enumerated() {
                if index > 0 { json.raw(",") }
                var inner = JSONObjectWriter()
                json.raw("{")
                inner.string("href", link.href, into: &json)
                inner.string("text", link.text, into: &json)
                json.raw("}")
            }
            json.raw("]")
        }
        json.raw("}\n")
        return json.bytes
    }

    private func encodePayload(details: [String: String], into json: inout GoJSONWriter) {
        var object = JSONObjectWriter()
        json.raw("{")
        object.string("summary", summary, into: &json)
        object.string("source", source, into: &json)
        object.string("severity", severity, into: &json)
        // `timestamp` is never set by Alertmanager 0.25 and is omitted when empty.
        object.optionalString("class", eventClass, into: &json)
        object.optionalString("component", component, into: &json)
        object.optionalString("group", group, into: &json)
        if !details.isEmpty {
            object.key("custom_details", into: &json)
            Self.encode(details, into: &json)
        }
        json.raw("}")
    }

    /// A Go `map[string]string`: keys in byte order.
    private static func encode(_ map: [String: String], into json: inout GoJSONWriter) {
        var object = JSONObjectWriter()
        json.raw("{")
        for name in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            object.string(name, map[name] ?? "", into: &json)
        }
        json.raw("}")
    }
}
