import KlaxonCore
import KlaxonGoCompat

extension SilenceMatcherSpec {
    /// The API's `isRegex`: the operator takes a regular expression (`=~`, `!~`).
    public var isRegex: Bool { type.isRegex }

    /// The API's `isEqual`: the operator is positive (`=`, `=~`).
    public var isEqual: Bool { type.isEqual }
}

extension SilenceMatcherSpec: APIJSONEncodable, APIJSONDecodable {
    /// `matcher`: isEqual, isRegex, name, value.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"isEqual\":")
        w.bool(isEqual)
        w.raw(",\"isRegex\":")
        w.bool(isRegex)
        w.raw(",\"name\":")
        w.string(name)
        w.raw(",\"value\":")
        w.string(value)
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a `matcher`; `isRegex` defaults to false and `isEqual` to true, as in Alertmanager.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let m = try JSONObject.object(jsonObject, "matcher")
        self.init(
            name: try JSONObject.string(m, "name"), value: try JSONObject.string(m, "value"),
            isRegex: JSONObject.bool(m, "isRegex", default: false),
            isEqual: JSONObject.bool(m, "isEqual", default: true))
    }
}
