import Foundation
import KlaxonCore
import KlaxonGoCompat

/// `GET /api/klaxon/v1/history`: timeline events oldest first, and the cursor of the next page (nil on the last).
/// Klaxon's own API (Alertmanager keeps no history).
public struct HistoryPage: Sendable, Hashable {
    /// The events, oldest first.
    public var events: [HistoryEvent]
    /// The `cursor` parameter of the next page; nil when there is nothing after these events yet.
    public var next: String?

    /// Creates a page.
    public init(events: [HistoryEvent], next: String?) {
        self.events = events
        self.next = next
    }
}

extension HistoryPage: APIJSONEncodable, APIJSONDecodable {
    /// `{"events":[{"sequence","time","kind","labels","fingerprint","fingerprints","receiver","integration",
    /// "groupKey","outcome","status","attempt","latency","detail"}],"next":"cursor"|null}`; `fingerprint` is the
    /// first (for an alert event, the only) fingerprint, `latency` in seconds or null.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"events\":[")
        for (index, event) in events.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"sequence\":")
            w.rawString(String(event.sequence))
            w.raw(",\"time\":")
            w.timeRFC3339Millis(event.time)
            w.raw(",\"kind\":")
            w.string(event.kind.rawValue)
            w.raw(",\"labels\":")
            w.object(event.labels)
            w.raw(",\"fingerprint\":")
            w.string(event.fingerprints.first?.description ?? "")
            w.raw(",\"fingerprints\":")
            w.stringArray(event.fingerprints.map(\.description))
            w.raw(",\"receiver\":")
            w.string(event.receiver)
            w.raw(",\"integration\":")
            w.string(event.integration)
            w.raw(",\"groupKey\":")
            w.string(event.groupKey)
            w.raw(",\"outcome\":")
            if let outcome = event.outcome { w.string(outcome.rawValue) } else { w.raw("null") }
            w.raw(",\"status\":")
            w.string(event.status)
            w.raw(",\"attempt\":")
            w.int(event.attempt)
            w.raw(",\"latency\":")
            if let latency = event.latency { w.rawString(String(format: "%.6f", latency)) } else { w.raw("null") }
            w.raw(",\"detail\":")
            w.string(event.detail)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"next\":")
        if let next { w.string(next) } else { w.raw("null") }
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a page; an event of a kind this klaxonctl does not know is skipped.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let page = try JSONObject.object(jsonObject, "history page")
        var events: [HistoryEvent] = []
        for item in try JSONObject.array(page["events"], "events") {
            let e = try JSONObject.object(item, "event")
            guard let kind = HistoryEvent.Kind(rawValue: try JSONObject.string(e, "kind")) else { continue }
            events.append(
                HistoryEvent(
                    sequence: (e["sequence"] as? NSNumber)?.int64Value ?? 0, time: try JSONObject.date(e, "time"),
                    kind: kind, labels: JSONObject.labelSet(e["labels"]),
                    fingerprints: JSONObject.strings(e["fingerprints"]).compactMap { Fingerprint(hex: $0) },
                    receiver: try JSONObject.string(e, "receiver", default: ""),
                    integration: try JSONObject.string(e, "integration", default: ""),
                    groupKey: try JSONObject.string(e, "groupKey", default: ""),
                    outcome: (e["outcome"] as? String).flatMap(HistoryEvent.Outcome.init(rawValue:)),
                    status: try JSONObject.string(e, "status", default: ""),
                    attempt: (e["attempt"] as? NSNumber)?.intValue ?? 0,
                    latency: (e["latency"] as? NSNumber)?.doubleValue,
                    detail: try JSONObject.string(e, "detail", default: "")))
        }
        self.init(events: events, next: page["next"] as? String)
    }
}
