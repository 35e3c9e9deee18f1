import Foundation
import KlaxonCore
import KlaxonGoCompat

/// A JSON document with ordered object keys, rendered the way Go's `encoding/json` marshals amtool's models.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number, rendered verbatim.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keys in this order.
    case object([Field])

    /// One key of an object.
    public struct Field: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue
        /// Creates a field.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from a string map, keys sorted as Go sorts map keys.
    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(
            map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map {
                Field($0, .string(map[$0] ?? ""))
            })
    }

    /// Compact JSON; strings escaped like Go (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes).
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): out += GoJSONWriter.quoted(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.render(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { out += "," }
                out += GoJSONWriter.quoted(field.key)
                out += ":"
                field.value.render(into: &out)
            }
            out += "}"
        }
    }

}

/// Parsing of API JSON (via `JSONSerialization`) into the models, with errors that name the field.
enum APIDecoding {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw Failure(description: "invalid JSON")
        }
    }

    static func object(_ any: Any?, _ what: String) throws(Failure) -> [String: Any] {
        guard let object = any as? [String: Any] else { throw Failure(description: "\(what) is not an object") }
        return object
    }

    static func array(_ any: Any?, _ what: String) throws(Failure) -> [Any] {
        guard let array = any as? [Any] else { throw Failure(description: "\(what) is not an array") }
        return array
    }

    static func string(_ object: [String: Any], _ key: String, default fallback: String? = nil) throws(Failure)
        -> String
    {
        if let s = object[key] as? String { return s }
        if let fallback, object[key] == nil || object[key] is NSNull { return fallback }
        throw Failure(description: "field \(key) is missing or not a string")
    }

    static func date(_ object: [String: Any], _ key: String) throws(Failure) -> Date {
        let text = try string(object, key)
        guard let date = try? GoTime.parseRFC3339(text).date else {
            throw Failure(description: "field \(key) is not an RFC3339 time")
        }
        return date
    }

    static func bool(_ object: [String: Any], _ key: String, default fallback: Bool) -> Bool {
        (object[key] as? Bool) ?? fallback
    }

    static func stringMap(_ any: Any?) -> [String: String] {
        guard let map = any as? [String: Any] else { return [:] }
        return map.compactMapValues { $0 as? String }
    }

    static func strings(_ any: Any?) -> [String] {
        (any as? [Any])?.compactMap { $0 as? String } ?? []
    }

    static func matcher(_ any: Any) throws(Failure) -> APIMatcher {
        let m = try object(any, "matcher")
        return APIMatcher(
            name: try string(m, "name"), value: try string(m, "value"), isRegex: bool(m, "isRegex", default: false),
            isEqual: bool(m, "isEqual", default: true))
    }

    static func silence(_ any: Any) throws(Failure) -> APISilence {
        let s = try object(any, "silence")
        let status = s["status"] as? [String: Any] ?? [:]
        var matchers: [APIMatcher] = []
        for m in try array(s["matchers"], "matchers") { matchers.append(try matcher(m)) }
        return APISilence(
            id: try string(s, "id"), state: try string(status, "state", default: ""),
            startsAt: try date(s, "startsAt"), endsAt: try date(s, "endsAt"),
            updatedAt: (try? date(s, "updatedAt")) ?? Date(timeIntervalSince1970: 0),
            createdBy: try string(s, "createdBy", default: ""), comment: try string(s, "comment", default: ""),
            matchers: matchers)
    }

    static func alert(_ any: Any) throws(Failure) -> APIAlert {
        let a = try object(any, "alert")
        let status = a["status"] as? [String: Any] ?? [:]
        let receivers = ((a["receivers"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["name"] as? String }
        return APIAlert(
            labels: stringMap(a["labels"]), annotations: stringMap(a["annotations"]),
            startsAt: try date(a, "startsAt"), endsAt: try date(a, "endsAt"), updatedAt: try date(a, "updatedAt"),
            fingerprint: try string(a, "fingerprint", default: ""), receivers: receivers,
            generatorURL: a["generatorURL"] as? String, state: try string(status, "state", default: ""),
            silencedBy: strings(status["silencedBy"]), inhibitedBy: strings(status["inhibitedBy"]))
    }

    static func status(_ any: Any) throws(Failure) -> APIStatus {
        let s = try object(any, "status")
        let config = s["config"] as? [String: Any] ?? [:]
        let cluster = s["cluster"] as? [String: Any] ?? [:]
        let peers = ((cluster["peers"] as? [Any]) ?? []).compactMap { any -> APIStatus.Peer? in
            guard let p = any as? [String: Any] else { return nil }
            return APIStatus.Peer(name: p["name"] as? String ?? "", address: p["address"] as? String ?? "")
        }
        return APIStatus(
            config: try string(config, "original"), uptime: try date(s, "uptime"),
            versionInfo: stringMap(s["versionInfo"]), clusterName: cluster["name"] as? String ?? "",
            clusterStatus: cluster["status"] as? String ?? "", peers: peers)
    }
}

extension APIMatcher {
    /// The matcher as Go marshals `models.Matcher` (keys in alphabetical order).
    public var json: JSONValue {
        .object([
            .init("isEqual", .bool(isEqual)), .init("isRegex", .bool(isRegex)),
            .init("name", .string(name)), .init("value", .string(value)),
        ])
    }
}

extension APISilence {
    /// The silence as amtool prints it with `-o json` (Go's field order for `gettableSilence`).
    public var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("status", .object([.init("state", .string(state))])),
            .init("updatedAt", .string(GoTime.rfc3339Millis(updatedAt))), .init("comment", .string(comment)),
            .init("createdBy", .string(createdBy)), .init("endsAt", .string(GoTime.rfc3339Millis(endsAt))),
            .init("matchers", .array(matchers.map(\.json))), .init("startsAt", .string(GoTime.rfc3339Millis(startsAt))),
        ])
    }

    /// Decodes one silence from API JSON.
    public static func decode(json bytes: [UInt8]) throws -> APISilence {
        try APIDecoding.silence(try APIDecoding.parse(bytes))
    }

    /// Decodes a list of silences (the body of `GET /api/v2/silences`, or `silence query -o json`).
    public static func decodeList(json bytes: [UInt8]) throws -> [APISilence] {
        var result: [APISilence] = []
        for item in try APIDecoding.array(try APIDecoding.parse(bytes), "response") {
            result.append(try APIDecoding.silence(item))
        }
        return result
    }
}

extension PostableSilence {
    /// The request body of `POST /api/v2/silences`.
    public var json: JSONValue {
        var fields: [JSONValue.Field] = []
        if let id { fields.append(.init("id", .string(id))) }
        fields += [
            .init("comment", .string(comment)), .init("createdBy", .string(createdBy)),
            .init("endsAt", .string(GoTime.rfc3339Millis(endsAt))), .init("matchers", .array(matchers.map(\.json))),
            .init("startsAt", .string(GoTime.rfc3339Millis(startsAt))),
        ]
        return .object(fields)
    }
}

extension APIAlert {
    /// The alert as amtool prints it with `-o json` (Go's field order for `gettableAlert`).
    public var json: JSONValue {
        var fields: [JSONValue.Field] = [
            .init("annotations", .stringMap(annotations)), .init("endsAt", .string(GoTime.rfc3339Millis(endsAt))),
            .init("fingerprint", .string(fingerprint)),
            .init("receivers", .array(receivers.map { .object([.init("name", .string($0))]) })),
            .init("startsAt", .string(GoTime.rfc3339Millis(startsAt))),
            .init(
                "status",
                .object([
                    .init("inhibitedBy", .array(inhibitedBy.map { .string($0) })),
                    .init("silencedBy", .array(silencedBy.map { .string($0) })), .init("state", .string(state)),
                ])),
            .init("updatedAt", .string(GoTime.rfc3339Millis(updatedAt))),
        ]
        if let generatorURL, !generatorURL.isEmpty { fields.append(.init("generatorURL", .string(generatorURL))) }
        fields.append(.init("labels", .stringMap(labels)))
        return .object(fields)
    }
}

extension PostableAlert {
    /// One element of the body of `POST /api/v2/alerts`.
    public var json: JSONValue {
        var fields: [JSONValue.Field] = [.init("annotations", .stringMap(annotations))]
        if let endsAt { fields.append(.init("endsAt", .string(GoTime.rfc3339Millis(endsAt)))) }
        if let startsAt { fields.append(.init("startsAt", .string(GoTime.rfc3339Millis(startsAt)))) }
        if let generatorURL, !generatorURL.isEmpty { fields.append(.init("generatorURL", .string(generatorURL))) }
        fields.append(.init("labels", .stringMap(labels)))
        return .object(fields)
    }
}
