import Foundation
import KlaxonCore
import KlaxonGoCompat

/// A model with a JSON form on the API v2 wire: Alertmanager's field order, Go's `encoding/json` escaping and
/// go-openapi's millisecond times. The server writes its responses with it and klaxonctl its requests and `-o json`
/// output, so both sides write the same bytes.
public protocol APIJSONEncodable {
    /// Appends the value's JSON.
    func encode(to writer: inout GoJSONWriter)
}

extension APIJSONEncodable {
    /// The JSON as Go's `json.Marshal` writes it (`<`, `>` and `&` escaped).
    public var jsonBytes: [UInt8] {
        var writer = GoJSONWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// ``jsonBytes`` as text.
    public var json: String { String(decoding: jsonBytes, as: UTF8.self) }
}

extension Array: APIJSONEncodable where Element: APIJSONEncodable {
    /// A JSON array of the elements, in order.
    public func encode(to writer: inout GoJSONWriter) {
        writer.raw(UInt8(ascii: "["))
        for (index, element) in enumerated() {
            if index > 0 { writer.raw(UInt8(ascii: ",")) }
            element.encode(to: &writer)
        }
        writer.raw(UInt8(ascii: "]"))
    }
}

/// A model that klaxonctl reads from an API v2 response (or from `-o json` output it wrote).
///
/// Reading is lenient as amtool's is: absent optional fields take their zero value, unknown fields are ignored.
public protocol APIJSONDecodable {
    /// Reads the value from a document parsed by `JSONSerialization`.
    init(jsonObject: Any) throws(APIDecodingError)
}

extension APIJSONDecodable {
    /// Decodes one value from JSON text.
    public static func decode(json bytes: [UInt8]) throws(APIDecodingError) -> Self {
        try Self(jsonObject: try JSONObject.parse(bytes))
    }

    /// Decodes a JSON array of values (a list response, or `-o json` output).
    public static func decodeList(json bytes: [UInt8]) throws(APIDecodingError) -> [Self] {
        var result: [Self] = []
        for item in try JSONObject.array(try JSONObject.parse(bytes), "response") {
            result.append(try Self(jsonObject: item))
        }
        return result
    }
}

/// Why a JSON document is not the model expected; the description names the field.
public struct APIDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `field endsAt is not an RFC3339 time`.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Typed access to a `JSONSerialization` document, with errors that name the field.
enum JSONObject {
    static func parse(_ bytes: [UInt8]) throws(APIDecodingError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw APIDecodingError("invalid JSON")
        }
    }

    static func object(_ any: Any?, _ what: String) throws(APIDecodingError) -> [String: Any] {
        guard let object = any as? [String: Any] else { throw APIDecodingError("\(what) is not an object") }
        return object
    }

    static func array(_ any: Any?, _ what: String) throws(APIDecodingError) -> [Any] {
        guard let array = any as? [Any] else { throw APIDecodingError("\(what) is not an array") }
        return array
    }

    static func string(_ object: [String: Any], _ key: String, default fallback: String? = nil)
        throws(APIDecodingError) -> String
    {
        if let s = object[key] as? String { return s }
        if let fallback, object[key] == nil || object[key] is NSNull { return fallback }
        throw APIDecodingError("field \(key) is missing or not a string")
    }

    static func date(_ object: [String: Any], _ key: String) throws(APIDecodingError) -> Date {
        let text = try string(object, key)
        guard let date = try? GoTime.parseRFC3339(text).date else {
            throw APIDecodingError("field \(key) is not an RFC3339 time")
        }
        return date
    }

    static func bool(_ object: [String: Any], _ key: String, default fallback: Bool) -> Bool {
        (object[key] as? Bool) ?? fallback
    }

    static func labelSet(_ any: Any?) -> LabelSet {
        guard let map = any as? [String: Any] else { return .empty }
        return LabelSet(map.compactMapValues { $0 as? String })
    }

    static func strings(_ any: Any?) -> [String] {
        (any as? [Any])?.compactMap { $0 as? String } ?? []
    }
}
