import KlaxonGoCompat

/// A receiver as API v2 names it (Alertmanager's `receiver`): in `GET /api/v2/receivers`, in an alert's
/// `receivers` and as a group's `receiver`.
public struct Receiver: Sendable, Hashable {
    /// The receiver's name from the configuration.
    public var name: String

    /// Creates a receiver.
    public init(name: String) {
        self.name = name
    }
}

extension Receiver: APIJSONEncodable, APIJSONDecodable {
    /// `{"name":...}`.
    public func encode(to writer: inout GoJSONWriter) {
        writer.raw("{\"name\":")
        writer.string(name)
        writer.raw(UInt8(ascii: "}"))
    }

    /// Reads `{"name":...}`.
    public init(jsonObject: Any) throws(APIDecodingError) {
        self.init(name: try JSONObject.string(try JSONObject.object(jsonObject, "receiver"), "name"))
    }
}
