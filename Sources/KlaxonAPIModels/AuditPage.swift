import Foundation
import KlaxonCore
import KlaxonGoCompat

/// `GET /api/klaxon/v1/audit`: entries newest first, and the `before` value that fetches the next (older) page, nil
/// on the last page. Klaxon's own API (Alertmanager has no audit trail).
public struct AuditPage: Sendable, Hashable {
    /// The entries, newest first.
    public var entries: [AuditEntry]
    /// The next page's `before` parameter; nil when there are no older entries.
    public var next: Int64?

    /// Creates a page.
    public init(entries: [AuditEntry], next: Int64?) {
        self.entries = entries
        self.next = next
    }
}

extension AuditPage: APIJSONEncodable, APIJSONDecodable {
    /// `{"entries":[...],"next":N|null}`; an entry's `before` and `after` are the objects as JSON (a silence as
    /// `GET /api/v2/silence/{id}` shows it), or null.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"entries\":[")
        for (index, entry) in entries.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"sequence\":")
            w.rawString(String(entry.sequence))
            w.raw(",\"time\":")
            w.timeRFC3339Millis(entry.time)
            w.raw(",\"kind\":")
            w.string(entry.kind.rawValue)
            w.raw(",\"principal\":")
            w.string(entry.principal)
            w.raw(",\"tenants\":")
            w.stringArray(entry.tenants)
            w.raw(",\"remoteAddress\":")
            w.string(entry.remoteAddress)
            w.raw(",\"object\":")
            w.string(entry.object)
            w.raw(",\"before\":")
            w.rawString(entry.before ?? "null")
            w.raw(",\"after\":")
            w.rawString(entry.after ?? "null")
            w.raw(",\"message\":")
            w.string(entry.message)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"next\":")
        w.rawString(next.map(String.init) ?? "null")
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a page; an entry of a kind this klaxonctl does not know is skipped.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let page = try JSONObject.object(jsonObject, "audit page")
        var entries: [AuditEntry] = []
        for item in try JSONObject.array(page["entries"], "entries") {
            let e = try JSONObject.object(item, "entry")
            guard let kind = AuditEntry.Kind(rawValue: try JSONObject.string(e, "kind")) else { continue }
            entries.append(
                AuditEntry(
                    sequence: (e["sequence"] as? NSNumber)?.int64Value ?? 0, time: try JSONObject.date(e, "time"),
                    kind: kind, principal: try JSONObject.string(e, "principal", default: ""),
                    tenants: JSONObject.strings(e["tenants"]),
                    remoteAddress: try JSONObject.string(e, "remoteAddress", default: ""),
                    object: try JSONObject.string(e, "object", default: ""), before: Self.jsonText(e["before"]),
                    after: Self.jsonText(e["after"]), message: try JSONObject.string(e, "message", default: "")))
        }
        self.init(entries: entries, next: (page["next"] as? NSNumber)?.int64Value)
    }

    private static func jsonText(_ any: Any?) -> String? {
        guard let any, !(any is NSNull),
            let data = try? JSONSerialization.data(withJSONObject: any, options: [.sortedKeys, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
