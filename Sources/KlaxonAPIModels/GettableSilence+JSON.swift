import Foundation
import KlaxonCore
import KlaxonGoCompat

extension GettableSilence: APIJSONEncodable, APIJSONDecodable {
    /// `gettableSilence`: id, status (state), updatedAt, comment, createdBy, endsAt, matchers, startsAt.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"id\":")
        w.string(id)
        w.raw(",\"status\":{\"state\":")
        w.string(state?.rawValue ?? "")
        w.raw("},\"updatedAt\":")
        w.timeRFC3339Millis(updatedAt)
        w.raw(",\"comment\":")
        w.string(comment)
        w.raw(",\"createdBy\":")
        w.string(createdBy)
        w.raw(",\"endsAt\":")
        w.timeRFC3339Millis(endsAt)
        w.raw(",\"matchers\":")
        matchers.encode(to: &w)
        w.raw(",\"startsAt\":")
        w.timeRFC3339Millis(startsAt)
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a `gettableSilence`; id, matchers, startsAt and endsAt are required, an unknown state reads as nil.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let s = try JSONObject.object(jsonObject, "silence")
        let status = s["status"] as? [String: Any] ?? [:]
        var matchers: [SilenceMatcherSpec] = []
        for m in try JSONObject.array(s["matchers"], "matchers") {
            matchers.append(try SilenceMatcherSpec(jsonObject: m))
        }
        self.init(
            id: try JSONObject.string(s, "id"),
            state: SilenceState(rawValue: try JSONObject.string(status, "state", default: "")),
            startsAt: try JSONObject.date(s, "startsAt"), endsAt: try JSONObject.date(s, "endsAt"),
            updatedAt: (try? JSONObject.date(s, "updatedAt")) ?? Date(timeIntervalSince1970: 0),
            createdBy: try JSONObject.string(s, "createdBy", default: ""),
            comment: try JSONObject.string(s, "comment", default: ""), matchers: matchers)
    }
}
