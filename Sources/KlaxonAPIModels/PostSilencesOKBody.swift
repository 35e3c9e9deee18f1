import KlaxonGoCompat

/// The answer to `POST /api/v2/silences` (Alertmanager's `postSilencesOKBody`): the ID of the created or
/// updated silence.
public struct PostSilencesOKBody: Sendable, Hashable {
    /// The silence ID.
    public var silenceID: String

    /// Creates the answer.
    public init(silenceID: String) {
        self.silenceID = silenceID
    }
}

extension PostSilencesOKBody: APIJSONEncodable, APIJSONDecodable {
    /// `{"silenceID":...}`.
    public func encode(to writer: inout GoJSONWriter) {
        writer.raw("{\"silenceID\":")
        writer.string(silenceID)
        writer.raw(UInt8(ascii: "}"))
    }

    /// Reads `{"silenceID":...}`.
    public init(jsonObject: Any) throws(APIDecodingError) {
        self.init(silenceID: try JSONObject.string(try JSONObject.object(jsonObject, "response"), "silenceID"))
    }
}
